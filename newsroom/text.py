"""Text folding shared by search and the comment rules."""

import unicodedata


def fold_char(char: str) -> str:
    """One character lower-cased with its accents removed ("É" → "e", "ß" → "ss")."""
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_text(text: str) -> str:
    """Lower case, accents removed, white space collapsed: how texts are compared."""
    return " ".join("".join(fold_char(c) for c in text).split())
