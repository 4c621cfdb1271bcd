class NotAnExport(Exception):
    """The file is not an export this command reads (or is broken, or hostile)."""
