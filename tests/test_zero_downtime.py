"""Upgrades without downtime: during a rolling restart the old code runs against the new
schema, so no migration may drop or rename a column or a table that released code reads.
Such a change takes two releases: first the code stops reading it, then a migration
removes it. The list below names the removals made so; a new one fails here until it is
added with the release that stopped reading it (deploy/README.md, "Upgrading")."""

from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader

OURS = {"articles", "comments", "letters", "dashboard", "archive", "newsroom"}
DESTRUCTIVE = (
    operations.RemoveField,
    operations.RenameField,
    operations.DeleteModel,
    operations.RenameModel,
    operations.AlterModelTable,
)
# (app, migration, operation, what): each removed after the code had stopped reading it.
REMOVED_AFTER_THE_CODE_LEFT_THEM = {
    ("articles", "0006_drop_image_dimensions", "RemoveField", "article.image_height"),
    ("articles", "0006_drop_image_dimensions", "RemoveField", "article.image_width"),
    (
        "articles",
        "0018_comment_policy_moves_to_comments",
        "RemoveField",
        "article.comments_close_at",
    ),
    ("articles", "0018_comment_policy_moves_to_comments", "RemoveField", "tag.comments_close_days"),
    ("articles", "0018_comment_policy_moves_to_comments", "RemoveField", "tag.moderators"),
    ("articles", "0018_comment_policy_moves_to_comments", "RemoveField", "tag.premoderation"),
    ("articles", "0018_comment_policy_moves_to_comments", "RemoveField", "tag.trusted_after"),
}


def _database_operations(operation_list):
    for operation in operation_list:
        if isinstance(operation, operations.SeparateDatabaseAndState):
            yield from _database_operations(operation.database_operations)
        else:
            yield operation


def _what(operation):
    model = getattr(operation, "model_name", None)
    name = getattr(operation, "name", None) or getattr(operation, "old_name", "")
    return f"{model}.{name}" if model else str(name).lower()


def test_no_migration_drops_or_renames_what_running_code_reads():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = {
        (app, name, type(operation).__name__, _what(operation))
        for (app, name), migration in loader.disk_migrations.items()
        if app in OURS
        for operation in _database_operations(migration.operations)
        if isinstance(operation, DESTRUCTIVE)
    }
    unexpected = found - REMOVED_AFTER_THE_CODE_LEFT_THEM
    assert not unexpected, (
        "These migrations drop or rename what the running code may read during a rolling "
        "restart: add a column, deploy, backfill, constrain; remove only in the release "
        f"after the code stopped reading it: {sorted(unexpected)}"
    )


def test_the_check_sees_a_dropped_column():
    """The check itself: a RemoveField in a migration is found."""
    removal = operations.RemoveField("article", "title")
    wrapped = operations.SeparateDatabaseAndState(database_operations=[removal])
    assert [_what(op) for op in _database_operations([wrapped]) if isinstance(op, DESTRUCTIVE)] == [
        "article.title"
    ]
