"""An export that cannot be read, and the one way both readers parse one."""

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse


class NotAnExport(Exception):
    """The file is not an export this command reads (or is broken, or hostile)."""


def xml_events(path):
    """("start"|"end", element) as defusedxml reads the file: a file that declares entities
    (billion laughs, external files) or is not well-formed (cut short) is NotAnExport."""
    try:
        yield from iterparse(str(path), events=("start", "end"))
    except DefusedXmlException as refused:
        raise NotAnExport(f"refused: the file declares entities or a DTD ({refused})") from None
    except SyntaxError as broken:  # ParseError: malformed or cut short
        raise NotAnExport(f"not well-formed XML: {broken}") from None
