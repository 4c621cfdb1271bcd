"""What another app that takes readers' writing (letters: messages to the newsroom) uses
of comments, and nothing else: the abstract row, the form's checks against robots, the
one submission path with its rate limit and spam rules, and the reader-data registry
through which a reader's rights (see, download, erase, the purge) reach that app's rows.
"""

from .forms import RobotChecks, check_length
from .models import ByAddressQuerySet, Submission
from .readerdata import ReaderData, register
from .services.rules import _body_hash as body_hash
from .services.rules import hash_ip, held_by_rule
from .services.submit import TooManyComments, store_submission, submission_key

__all__ = [
    "ByAddressQuerySet",
    "ReaderData",
    "RobotChecks",
    "Submission",
    "TooManyComments",
    "body_hash",
    "check_length",
    "hash_ip",
    "held_by_rule",
    "register",
    "store_submission",
    "submission_key",
]
