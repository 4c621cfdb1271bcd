"""Querysets compiled to SQL once per process, then run many times with new values.

Building and compiling a queryset costs Python time on every request: about 1 ms for the
story page's query with its two JSON subqueries, three times what PostgreSQL needs to run
it (bench/run.py, the profile in the closing note of the performance issue). A
CompiledQuery builds its queryset once with marker values, remembers where each marker
landed among the SQL parameters, and afterwards only swaps in the request's values and
runs the SQL through QuerySet.raw(), which still returns model instances.

Markers are adapted with their model field, as the ORM adapts a lookup's value, so a
datetime or a string reaches each database in the form it expects.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router


@dataclass(frozen=True)
class Marker:
    field: object  # the model field whose lookup receives the value
    value: object  # a value no real request sends, found once among the parameters


class CompiledQuery:
    def __init__(self, model, build, **markers: Marker):
        self.model = model
        self.build = build  # build(**marker values) -> QuerySet
        self.markers = markers
        self._by_alias = {}

    def _compile(self, alias):
        compiled = self._by_alias.get(alias)
        if compiled is not None:
            return compiled
        connection = connections[alias]
        queryset = self.build(**{name: m.value for name, m in self.markers.items()})
        sql, params = queryset.using(alias).query.sql_with_params()
        slots = {}
        for name, marker in self.markers.items():
            adapted = marker.field.get_db_prep_value(marker.value, connection)
            found = [i for i, param in enumerate(params) if param == adapted]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"Marker {name!r} appears {len(found)} times in the compiled query."
                )
            slots[name] = found[0]
        compiled = (sql, tuple(params), slots, connection)
        self._by_alias[alias] = compiled
        return compiled

    def raw(self, *, limit=None, offset=0, **values):
        """The query run with these values: a RawQuerySet of model instances, optionally
        sliced (the compiled query must be ordered, and unsliced, for that)."""
        alias = router.db_for_read(self.model)
        sql, params, slots, connection = self._compile(alias)
        params = list(params)
        for name, position in slots.items():
            params[position] = self.markers[name].field.get_db_prep_value(values[name], connection)
        if limit is not None:
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [limit, offset]
        return self.model.objects.raw(sql, params).using(alias)


class CompiledPages:
    """A compiled query as a Paginator sees a queryset: counted by the ORM through the
    query's own builder (the views cache that count), each page read with LIMIT and OFFSET."""

    ordered = True

    def __init__(self, query: CompiledQuery, **values):
        self.query = query
        self.values = values
        self.model = query.model

    def count(self):
        return self.query.build(**self.values).count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None or index.stop is None:
            raise TypeError("CompiledPages only takes [start:stop] slices.")
        start = index.start or 0
        return list(self.query.raw(limit=max(index.stop - start, 0), offset=start, **self.values))
