"""Finding stories: full-text search on PostgreSQL, a folded-text fallback elsewhere."""

import bisect
import difflib
import itertools
import re
from datetime import timedelta

import snowballstemmer
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, connections, router
from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from newsroom.text import fold_text

from .models import Article, Tag

# PostgreSQL text search configuration made by migration 0005: French stemming, accents ignored.
SEARCH_CONFIG = "french_unaccent"

MAX_QUERY_LENGTH = 200
EXCERPT_LENGTH = 240
# Private-use characters mark matches inside PostgreSQL's headline, so the text around
# them can be escaped before they become <mark> tags.
_START, _STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_STEMMER = snowballstemmer.stemmer("french")
# Blocks of a story's text (paragraphs, intertitles) are kept apart by line breaks in
# body_text; an excerpt shows them with this separator, never run into each other.
BLOCK_SEPARATOR = " — "


def stems(text: str) -> list[str]:
    """The words of a text, folded and reduced to their French stem ("Exportations" →
    "export"), as PostgreSQL's french_unaccent configuration does: the SQLite fallback
    finds the same stories."""
    return _STEMMER.stemWords(re.findall(r"\w+", fold_text(text)))


def index_story(article: Article) -> None:
    """Bring a story's search data up to date with its text and tags: the stemmed document
    (SQLite's fallback) and, on PostgreSQL, the weighted vector (title and tags first, then
    standfirst, then body)."""
    tag_names = " ".join(tag.name for tag in article.tags.all())
    words = stems(f"{article.title} {tag_names} {article.standfirst} {article.body_text}")
    document = f" {' '.join(words)} "
    fields = {"search_document": document}
    if connection.vendor == "postgresql":
        fields["search_vector"] = (
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector(Value(tag_names), weight="A", config=SEARCH_CONFIG)
            + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
            + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
        )
    Article.objects.filter(pk=article.pk).update(**fields)
    article.search_document = document


def clean_query(raw: str) -> str:
    """What a reader typed, without control characters, and of a sensible length."""
    return " ".join(_CONTROL.sub(" ", raw or "")[:MAX_QUERY_LENGTH].split())


def query_terms(query: str) -> list[str]:
    """The words of a query, folded; punctuation and SQL-looking symbols fall away."""
    return re.findall(r"\w+", fold_text(query))


def search(query: str):
    """Live stories matching a cleaned query, best first, each with `headline` (safe HTML):
    a queryset, or on PostgreSQL a RankedResults, which the paginator reads alike."""
    terms = query_terms(query)
    if not terms:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        return RankedResults(query)
    return _fallback_search(terms)


# Ranked by relevance: the newest matches, this many (a multiple of the page size). Beyond
# them, the older matches follow by date. Ranking every match of a common word read and
# scored thousands of rows per search (25 ms on 20,000 stories, more as the archive grows).
CANDIDATES = 200
# Where the newest candidates are looked for first: the last three months, two years, then
# everywhere (RankedResults.ranked_ids).
RECENT_FIRST = (timedelta(days=90), timedelta(days=730), None)
# Counted up to this many; the page then says "more than 1,000".
COUNT_CAP = 1000


def _ranked_window_sql(candidates: str) -> str:
    """A window of the candidates (the ORM's query, as SQL) best first, each row with how
    many candidates there are."""
    return (
        f"SELECT c.pk, count(*) OVER () FROM ({candidates}) c ORDER BY "
        "ts_rank(c.search_vector, websearch_to_tsquery(%s::regconfig, %s)) DESC, "
        "c.published_at DESC, c.pk DESC LIMIT %s OFFSET %s"
    )


class RankedResults:
    """The matches of a search on PostgreSQL, as Django's paginator reads them (count() and
    slices): the GIN index finds them, the newest CANDIDATES are ranked (title and tags
    first, then standfirst, then body), the count stops at COUNT_CAP + 1."""

    def __init__(self, query):
        self.query = query
        self.search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        self.matches = Article.objects.published().filter(search_vector=self.search_query)

    def count(self):
        return self.matches.order_by().values("pk")[: COUNT_CAP + 1].count()

    def __len__(self):
        return self.count()

    def exists(self):
        return self.matches.exists()

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        if stop <= CANDIDATES:
            ids = self.ranked_ids(start, stop)
            rows = {story.pk: story for story in self._rows(self.matches.filter(pk__in=ids))}
            return self._with_excerpts([rows[pk] for pk in ids if pk in rows])
        by_date = self._rows(self.matches.order_by("-published_at", "-pk"))
        return self._with_excerpts(list(by_date[start:stop]))

    def ranked_ids(self, start, stop) -> list[int]:
        """The ids of the window, best first, among the newest CANDIDATES matches. In SQL
        around the ORM's own query for the candidates, because the ORM's form of it
        (ranked_ids_orm, which a test compares with it) reads the matches twice: once to
        find the newest, once to rank them; 17 ms against 9 for a common word on 20,000
        stories.

        The newest are looked for among the recent stories first (RECENT_FIRST): a common
        word matches a story in ten, and finding the newest of 20,000 matches on 200,000
        stories read every one of them (75 ms). When the recent stories hold CANDIDATES
        matches, they hold the newest ones; otherwise the next period is asked."""
        for within in RECENT_FIRST:
            matches = self.matches
            if within is not None:
                matches = matches.filter(published_at__gte=timezone.now() - within)
            newest = matches.order_by("-published_at", "-pk").values(
                "pk", "published_at", "search_vector"
            )[:CANDIDATES]
            inner, params = newest.query.sql_with_params()
            with _reading_cursor() as cursor:
                cursor.execute(
                    _ranked_window_sql(inner),
                    [*params, SEARCH_CONFIG, self.query, stop - start, start],
                )
                rows = cursor.fetchall()
            if within is None or (rows and rows[0][1] == CANDIDATES):
                break
        return [pk for pk, _candidates in rows]

    def ranked_ids_orm(self, start, stop) -> list[int]:
        newest = self.matches.order_by("-published_at", "-pk").values("pk")[:CANDIDATES]
        return list(
            self.matches.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), self.search_query))
            .order_by("-rank", "-published_at", "-pk")
            .values_list("pk", flat=True)[start:stop]
        )

    def _rows(self, stories):
        return stories.defer("body", "body_html", "search_document", "search_vector")

    def _with_excerpts(self, stories: list) -> list:
        """The stories, each with its raw excerpt (raw_headline)."""
        if not stories:
            return stories
        words = stems(self.query)
        sources = [excerpt_source(story.standfirst, story.body_text, words) for story in stories]
        # One call for the window; PostgreSQL's headline keeps its stemming and phrases.
        with _reading_cursor() as cursor:
            cursor.execute(
                "SELECT ts_headline(%s::regconfig, source, websearch_to_tsquery(%s::regconfig, "
                "%s), %s) FROM unnest(%s::text[]) WITH ORDINALITY AS s(source, n) ORDER BY n",
                [SEARCH_CONFIG, SEARCH_CONFIG, self.query, HEADLINE_OPTIONS, sources],
            )
            for story, (raw,) in zip(stories, cursor.fetchall(), strict=True):
                story.raw_headline = raw
        return stories


MAX_WORDS = 35
HEADLINE_OPTIONS = (
    f'StartSel="{_START}", StopSel="{_STOP}", MaxWords={MAX_WORDS}, MinWords=15, MaxFragments=2, '
    'FragmentDelimiter=" … "'
)
# PostgreSQL's headline parses the whole text it is given: 1.1 ms for a 4,700-character
# story, 12 ms for a page of ten. It is given the passages around the query's words
# instead: at most this many, those with the most different words first, each this many
# characters either side of a word (an excerpt is at most MAX_WORDS words).
EXCERPT_PASSAGES = 3
PASSAGE_REACH = 240
# A common word is found this many times at most, and a long query's first words only:
# where to cut the text is decided in a bounded time.
PASSAGE_HITS = 16
PASSAGE_WORDS = 8
# Between two passages given that are not next to each other in the story.
_GAP = "\n…\n"
# What a letter may be written as in a story (the query's stems are folded).
_ACCENTED = {
    "a": "aàâä",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîï",
    "o": "oôö",
    "u": "uùûü",
    "y": "yÿ",
}
_LIGATURES = {"oe": "œ", "ae": "æ", "œ": "oe", "æ": "ae"}


def _stem_pattern(stem: str) -> str:
    """A folded stem as a pattern for the written text: "eco" finds "éco" and "Éco"."""
    parts = []
    for piece in re.split("(oe|ae|œ|æ)", stem):
        if piece in _LIGATURES:
            parts.append(f"(?:{piece}|{_LIGATURES[piece]})")
        else:
            parts += [f"[{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in piece]
    return "".join(parts)


def excerpt_source(standfirst: str, body_text: str, words: list[str]) -> str:
    """The text of a story that PostgreSQL is asked to make an excerpt from: the passages
    around the words whose stems are the query's, in the story's order; the whole text if
    no word begins with one (a stem that is not the start of its word: "différence" →
    "different")."""
    text = f"{standfirst}\n{body_text}"
    hits = []  # (position, which word)
    for number, stem in enumerate(dict.fromkeys(words[:PASSAGE_WORDS])):
        finder = re.compile(rf"(?<!\w){_stem_pattern(stem)}", re.IGNORECASE)
        found = itertools.islice(finder.finditer(text), PASSAGE_HITS)
        hits += [(match.start(), number) for match in found]
    if not hits:
        return text
    hits.sort()
    positions = [position for position, _number in hits]

    def around(position):
        return max(0, position - PASSAGE_REACH), min(len(text), position + PASSAGE_REACH)

    def words_near(position):
        start, end = around(position)
        near = hits[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)]
        return len({number for _at, number in near})

    chosen = []
    for position, _number in sorted(hits, key=lambda hit: (-words_near(hit[0]), hit[0])):
        start, end = around(position)
        if all(end <= taken[0] or start >= taken[1] for taken in chosen):
            chosen.append((start, end))
            if len(chosen) == EXCERPT_PASSAGES:
                break
    source, last_end = "", None
    for start, end in sorted(chosen):
        # Whole words only: a passage starts and ends at a space or a line break.
        if start:
            start = next((i + 1 for i in range(start, end) if text[i].isspace()), start)
        if end < len(text):
            end = max(text.rfind(" ", start, end), text.rfind("\n", start, end), start + 1)
        if last_end is None:
            source = text[start:end]
        else:
            source += text[last_end:end] if start <= last_end else _GAP + text[start:end]
        last_end = end
    return source


def _reading_cursor():
    """A cursor on the database the ORM would read stories from (a replica, on a reader's
    page: newsroom/replica.py)."""
    return connections[router.db_for_read(Article)].cursor()


def _fallback_search(terms):
    words = stems(" ".join(terms))
    matches = Article.objects.published()
    for word in words:
        # A stem begins a word of the document: "export" finds "exportateurs" too.
        matches = matches.filter(search_document__contains=f" {word}")
    # The document is title and tags, standfirst, then body: the earlier, the better.
    position = StrIndex("search_document", Value(f" {words[0]}"))
    return matches.annotate(rank=position).order_by("rank", "-published_at")


def headline(article, query: str) -> str:
    """An excerpt of the story with the matched words in <mark>, escaped."""
    raw = getattr(article, "raw_headline", None)
    if raw is not None:
        marked = escape(raw).replace(_START, "<mark>").replace(_STOP, "</mark>")
        marked = marked.replace(_GAP, " … ").replace("\n", BLOCK_SEPARATOR)
        return mark_safe(marked)  # noqa: S308 (escaped above)
    return highlight(f"{article.standfirst}\n{article.body_text}", query_terms(query))


def highlight(text: str, terms: list[str], width: int = EXCERPT_LENGTH) -> str:
    """An excerpt of whole words around the first match, every word whose stem a query
    word shares in <mark>, blocks kept apart; escaped."""
    wanted = set(stems(" ".join(terms)))
    text = text.replace("\n", BLOCK_SEPARATOR)
    words = list(re.finditer(r"\w+", text))
    matched = [w for w in words if stems(w.group())[:1] and stems(w.group())[0] in wanted]
    start = 0
    if matched:
        # Start a few words before the first match, at the start of a word.
        first = words.index(matched[0])
        start = words[max(0, first - 8)].start() if first else 0
    end = len(text)
    if end - start > width:
        end = text.rfind(" ", start, start + width)
        end = start + width if end <= start else end
    pieces, position = [], start
    for word in matched:
        if word.start() < position or word.end() > end:
            continue
        pieces += [escape(text[position : word.start()]), "<mark>", escape(word.group()), "</mark>"]
        position = word.end()
    pieces.append(escape(text[position:end]))
    excerpt = "".join(pieces).strip()
    return mark_safe(("… " if start else "") + excerpt + (" …" if end < len(text) else ""))  # noqa: S308


# How near a word must be to a known one to be offered instead (difflib's ratio).
SUGGESTION_CUTOFF = 0.75
# Titles whose words may correct a query: the nearest by trigrams on PostgreSQL (pg_trgm,
# an index on the title), the latest elsewhere.
SUGGESTION_TITLES = 30


def suggestions(query: str) -> dict:
    """For a search that found nothing: a corrected spelling that finds something
    ("exprotations" → "exportations"), and the sections whose names come near the words."""
    terms = query_terms(query)
    if not terms:
        return {"spelling": "", "tags": []}
    tags = list(Tag.objects.all())
    if connection.vendor == "postgresql":
        near = Q()
        for word in re.findall(r"\w+", query.lower())[:10]:
            near |= Q(title__trigram_word_similar=word)
        titles = (
            Article.objects.published()
            .filter(near)
            .annotate(nearness=TrigramWordSimilarity(query, "title"))
            .order_by("-nearness")
            .values_list("title", flat=True)[:SUGGESTION_TITLES]
        )
    else:
        titles = Article.objects.published().values_list("title", flat=True)[:300]
    # Every word the site uses in its titles and section names, folded, with one written form.
    words = {}
    for text in [*titles, *(tag.name for tag in tags)]:
        for word in re.findall(r"\w+", text.lower()):
            words.setdefault(fold_text(word), word)
    corrected, changed = [], False
    for term in terms:
        near = (
            []
            if term in words
            else difflib.get_close_matches(term, words, n=1, cutoff=SUGGESTION_CUTOFF)
        )
        if near:
            corrected.append(words[near[0]])
            changed = True
        else:
            corrected.append(words.get(term, term))
    spelling = " ".join(corrected) if changed else ""
    if spelling and not search(spelling).exists():
        spelling = ""

    def nearness(tag):
        names = [fold_text(w) for w in re.findall(r"\w+", tag.name)] or [""]
        return max(difflib.SequenceMatcher(None, t, n).ratio() for t in terms for n in names)

    scored = sorted(((nearness(tag), tag) for tag in tags), key=lambda pair: -pair[0])
    near_tags = [tag for score, tag in scored if score >= SUGGESTION_CUTOFF]
    return {"spelling": spelling, "tags": near_tags[:3]}
