"""Every change to a comment's state goes through here: the form, the admin and commands.

One module a job:
- `rules`: the spam rules, the keyed hashes, who is a regular;
- `submit`: a comment sent by a reader, and why one is refused;
- `digest`: the moderators' digest;
- `moderation`: the moderators' decisions, the newsroom's answers and picks, the author's
  edits;
- `privacy`: a reader's data: access, export, erasure, the purge;
- `reports`: readers' reports of a comment;
- `policies`: sections' comment policies.
"""

from .digest import (
    DIGEST_LATE,
    DIGEST_LOCK,
    DIGEST_MAX,
    digest_soon,
    moderators,
    moderators_digest,
)
from .moderation import (
    ModerationConflict,
    NotEditable,
    NotPickable,
    address_may_be_written_to,
    comment_answer,
    comment_approve,
    comment_edit,
    comment_mark_spam,
    comment_pick,
    comment_redact,
    comment_reject,
    comment_review,
    comment_undo,
    comment_withdraw,
    sender_block,
)
from .policies import policy_delete, policy_save
from .privacy import (
    MAIL_KEPT,
    OPERATOR,
    TooManyRequests,
    comments_erase,
    comments_export,
    comments_purge,
    privacy_access,
    privacy_link_request,
)
from .reports import (
    FLAGS_PER_HOUR,
    AlreadyFlagged,
    NotFlaggable,
    comment_flag,
    reader_hash,
)
from .rules import (
    DUPLICATE_MIN_LENGTH,
    DUPLICATE_WINDOW,
    MAX_LINKS,
    TRUST_CLEAN_DAYS,
    _body_hash,
    hash_email,
    hash_ip,
    held_by_rule,
    is_trusted,
)
from .submit import (
    AlreadySent,
    CommentRefused,
    CommentsClosed,
    NotAReply,
    TooManyComments,
    comment_submit,
    submission_key,
    submissions_exhausted,
)

__all__ = [
    "MAX_LINKS",
    "TRUST_CLEAN_DAYS",
    "DUPLICATE_WINDOW",
    "DUPLICATE_MIN_LENGTH",
    "hash_ip",
    "_body_hash",
    "held_by_rule",
    "is_trusted",
    "hash_email",
    "CommentRefused",
    "CommentsClosed",
    "TooManyComments",
    "submissions_exhausted",
    "submission_key",
    "AlreadySent",
    "NotAReply",
    "comment_submit",
    "DIGEST_LATE",
    "DIGEST_LOCK",
    "DIGEST_MAX",
    "digest_soon",
    "moderators_digest",
    "moderators",
    "policy_delete",
    "policy_save",
    "ModerationConflict",
    "comment_approve",
    "comment_review",
    "comment_undo",
    "comment_redact",
    "sender_block",
    "comment_reject",
    "comment_mark_spam",
    "address_may_be_written_to",
    "comment_answer",
    "NotPickable",
    "comment_pick",
    "NotEditable",
    "comment_edit",
    "comment_withdraw",
    "MAIL_KEPT",
    "OPERATOR",
    "comments_export",
    "comments_erase",
    "TooManyRequests",
    "privacy_link_request",
    "privacy_access",
    "comments_purge",
    "NotFlaggable",
    "AlreadyFlagged",
    "FLAGS_PER_HOUR",
    "reader_hash",
    "comment_flag",
]
