"""Finding stories: full-text search on PostgreSQL, a folded-text fallback elsewhere."""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat, StrIndex
from django.utils.html import escape
from django.utils.safestring import mark_safe

from newsroom.text import fold_char, fold_text

from .models import Article

# PostgreSQL text search configuration made by migration 0005: French stemming, accents ignored.
SEARCH_CONFIG = "french_unaccent"

MAX_QUERY_LENGTH = 200
EXCERPT_LENGTH = 240
# Private-use characters mark matches inside PostgreSQL's headline, so the text around
# them can be escaped before they become <mark> tags.
_START, _STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def index_story(article: Article) -> None:
    """Bring a story's search data up to date with its text and tags: the folded document
    (SQLite's fallback) and, on PostgreSQL, the weighted vector (title and tags first, then
    standfirst, then body)."""
    tag_names = " ".join(tag.name for tag in article.tags.all())
    document = fold_text(f"{article.title} {tag_names} {article.standfirst} {article.body_text}")
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
    """Live stories matching a cleaned query, best first, each with `headline` (safe HTML)."""
    terms = query_terms(query)
    if not terms:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        return _postgres_search(query)
    return _fallback_search(terms)


def _postgres_search(query):
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return (
        Article.objects.published()
        .filter(search_vector=search_query)
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            raw_headline=SearchHeadline(
                Concat("standfirst", Value(" "), "body_text", output_field=TextField()),
                search_query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at")
        .defer("body", "body_html", "body_text", "search_document", "search_vector")
    )


def _fallback_search(terms):
    matches = Article.objects.published()
    for term in terms:
        matches = matches.filter(search_document__contains=term)
    # The document is title, standfirst, then body: the earlier the first word, the better.
    position = StrIndex("search_document", Value(terms[0]))
    return matches.annotate(rank=position).order_by("rank", "-published_at")


def headline(article, query: str) -> str:
    """An excerpt of the story with the matched words in <mark>, escaped."""
    raw = getattr(article, "raw_headline", None)
    if raw is not None:
        marked = escape(raw).replace(_START, "<mark>").replace(_STOP, "</mark>")
        return mark_safe(marked)  # noqa: S308 (escaped just above)
    return highlight(f"{article.standfirst} {article.body_text}", query_terms(query))


def highlight(text: str, terms: list[str], width: int = EXCERPT_LENGTH) -> str:
    """Cut an excerpt around the first match and mark every folded match in it."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for folded_char in fold_char(char):
            folded.append(folded_char)
            origin.append(index)
    folded = "".join(folded)
    spans = sorted(
        (origin[m.start()], origin[m.end() - 1] + 1)
        for term in terms
        for m in re.finditer(re.escape(term), folded)
    )
    start = max(0, spans[0][0] - width // 3) if spans else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        pieces += [
            escape(text[position:span_start]),
            "<mark>",
            escape(text[span_start:span_end]),
            "</mark>",
        ]
        position = span_end
    pieces.append(escape(text[position:end]))
    excerpt = "".join(pieces)
    return mark_safe(("… " if start else "") + excerpt + (" …" if end < len(text) else ""))  # noqa: S308
