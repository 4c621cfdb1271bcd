"""Log records as a person on call wants them."""

import logging

from django.db import InterfaceError, OperationalError


class OneLineClientErrors(logging.Filter):
    """A refused request (403, 404, 400) is one line, not a traceback: those would bury the
    errors that matter. While the database is away, each 503 is one line with a count too."""

    database_errors = 0

    def filter(self, record):
        status = getattr(record, "status_code", None)
        error = record.exc_info[1] if record.exc_info else None
        if status is not None and status < 500:
            record.exc_info, record.exc_text = None, None
        elif isinstance(error, (OperationalError, InterfaceError)):
            OneLineClientErrors.database_errors += 1
            message = record.getMessage()
            record.msg = "%s (database unavailable: %s; %d so far)"
            record.args = (message, error, OneLineClientErrors.database_errors)
            record.exc_info, record.exc_text = None, None
        return True
