"""Text folding shared by search and the comment rules; isolating readers' text in mail."""

import unicodedata


def fold_char(char: str) -> str:
    """One character lower-cased with its accents removed ("É" → "e", "ß" → "ss")."""
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_text(text: str) -> str:
    """Lower case, accents removed, white space collapsed: how texts are compared."""
    return " ".join("".join(fold_char(c) for c in text).split())


def isolated(text: str) -> str:
    """A reader's text set apart for the Unicode bidirectional algorithm (U+2068 … U+2069),
    as <bdi> does on a page: direction marks or overrides in it (U+202E, say) cannot reverse
    what stands beside it in a plain-text mail."""
    return f"\u2068{text}\u2069"
