"""Template tags every template may load ({% load newsroom %}, TEMPLATES' libraries)."""

from django import template
from django.utils import formats
from django.utils.translation import get_language

from newsroom.cache import cached

register = template.Library()


class CachedNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        parts = [self.name, *(str(v.resolve(context)) for v in self.vary_on), get_language()]
        return cached(
            ":".join(parts), lambda: self.nodelist.render(context), timeout=86400, site_wide=False
        )


@register.tag("cached")
def do_cached(parser, token):
    """{% cached "name" key… %}…{% endcached %}: the block rendered once and kept, per
    language, under keys that carry their own version (newsroom.cache.story_key)."""
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    bits = token.split_contents()[1:]
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% cached %} needs a name and a versioned key.")
    name = bits[0].strip("\"'")
    vary_on = [parser.compile_filter(bit) for bit in bits[1:]]
    return CachedNode(nodelist, name, vary_on)


@register.filter
def grouped(number):
    """A count as the page says it, digits grouped by the language ("2 002", "2,002"): the
    same figure as the count near a story's title."""
    return formats.number_format(number, force_grouping=True)


@register.filter
def minutes(duration):
    """A timedelta in whole minutes (the login lockout's cool-off)."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.filter
def duration_short(duration):
    """How long something has waited, the way a desk says it: "3 h 10", "12 min", "2 d 4 h"."""
    from django.utils.translation import gettext

    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return gettext("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": minutes}
    return gettext("%(minutes)d min") % {"minutes": minutes}
