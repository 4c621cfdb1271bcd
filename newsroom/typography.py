"""French typography for what readers see: stories written in French (title, standfirst
and body, when saved) and the interface's French strings.

French sets a narrow no-break space (U+202F) before ; : ! ? and inside « », a no-break
space (U+00A0) between a number and what it counts ("1,2 milliard", "12 millions",
"4 %", "30 €"), narrow no-break spaces between groups of digits ("60 000"), and
typographic apostrophes. Text inside tags, URLs and code is left as it is.
"""

import re

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space
_SPACES = "[ \u00a0\u202f]"
_URL = re.compile(r"(?:https?://|www\.|mailto:)\S+|\S+@\S+\.\w+")
_RULES = [
    # l'export → l’export: a straight apostrophe after a letter.
    (re.compile(r"(?<=[^\W\d_])'"), "’"),
    # « … »: a narrow no-break space inside the quotation marks.
    (re.compile(rf"«{_SPACES}*"), f"«{NNBSP}"),
    (re.compile(rf"{_SPACES}*»"), f"{NNBSP}»"),
    # ; ! ? — a narrow no-break space before, in place of any space or where there is none.
    (re.compile(rf"{_SPACES}+(?=[;!?])"), NNBSP),
    (re.compile(r"(?<=[^\s\u202f;!?(])(?=[;!?])"), NNBSP),
    # : — the same, but not inside "10:30".
    (re.compile(rf"{_SPACES}+:"), f"{NNBSP}:"),
    (re.compile(r"(?<=[^\W\d_)»])(?=:(?:\s|$))"), NNBSP),
    # 60 000 → 60 000: groups of three digits held together.
    (re.compile(rf"(?<=\d){_SPACES}(?=\d{{3}}(?!\d))"), NNBSP),
    # A number and what it counts: 1,2 milliard, 12 millions, 4 %, 30 €.
    (re.compile(r"(?<=\d) (?=[%€$£]|[^\W\d_])"), NBSP),
]


def french(text: str) -> str:
    """Plain text set in French typography; URLs and addresses in it are left alone."""
    pieces, last = [], 0
    for match in _URL.finditer(text):
        pieces += [_apply(text[last : match.start()]), match.group()]
        last = match.end()
    pieces.append(_apply(text[last:]))
    return "".join(pieces)


def _apply(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = {"code", "pre", "kbd", "samp", "script", "style"}


def french_html(html: str) -> str:
    """HTML whose text (not its tags, attributes, code or preformatted text) is set in
    French typography; entities such as &amp; are kept whole."""
    out, inside = [], []
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            tag = name.group(1).lower() if name else ""
            if tag in _VERBATIM:
                if piece.startswith("</"):
                    if tag in inside:
                        inside.remove(tag)
                elif not piece.endswith("/>"):
                    inside.append(tag)
            out.append(piece)
        elif inside or not piece:
            out.append(piece)
        else:
            out.append(_text_with_entities(piece))
    return "".join(out)


_ENTITY = re.compile(r"(&#?\w+;)")


def _text_with_entities(text: str) -> str:
    # Entities stand for one character each; &nbsp; is a space for these rules, and an
    # escaped apostrophe after a letter is an apostrophe.
    text = text.replace("&nbsp;", NBSP)
    text = re.sub(r"(?<=[^\W\d_])&#(?:x27|39);", "’", text)
    parts = _ENTITY.split(text)
    placeholders = {}
    for index in range(1, len(parts), 2):
        key = chr(0xE000 + index // 2)  # a private-use character keeps the entity's place
        placeholders[key] = parts[index]
        parts[index] = key
    result = french("".join(parts))
    for key, entity in placeholders.items():
        result = result.replace(key, entity)
    return result
