"""The newsroom's groups and what each may do; used by data migrations and test set-up."""

from django.contrib.auth.management import create_permissions

ROLES = {
    "Journalists": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        ("articles", "delete_article"),
        ("articles", "view_tag"),
        ("articles", "add_tag"),
        ("articles", "view_correction"),
        # Images in a story's text, theirs to add and describe.
        ("articles", "add_bodyimage"),
        ("articles", "change_bodyimage"),
        ("articles", "delete_bodyimage"),
        ("articles", "view_bodyimage"),
        # They read the comments on the site's stories and answer them as the newsroom.
        ("comments", "view_comment"),
        ("comments", "answer_comment"),
        # The newsroom's picks, shown first under a story.
        ("comments", "pick_comment"),
        # Readers' messages about their stories: read, and say who handles them.
        ("letters", "view_readermessage"),
        ("letters", "change_readermessage"),
    ],
    "Editors": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        ("articles", "delete_article"),
        ("articles", "see_all_drafts"),
        ("articles", "delete_published_article"),
        ("articles", "add_tag"),
        ("articles", "change_tag"),
        ("articles", "view_tag"),
        ("articles", "delete_tag"),
        ("articles", "add_correction"),
        ("articles", "change_correction"),
        ("articles", "view_correction"),
        # Images in a story's text, theirs to add and describe.
        ("articles", "add_bodyimage"),
        ("articles", "change_bodyimage"),
        ("articles", "delete_bodyimage"),
        ("articles", "view_bodyimage"),
        # The spam lists: banned words and blocked senders.
        ("comments", "add_bannedword"),
        ("comments", "change_bannedword"),
        ("comments", "delete_bannedword"),
        ("comments", "view_bannedword"),
        ("comments", "add_blockedsender"),
        ("comments", "change_blockedsender"),
        ("comments", "delete_blockedsender"),
        ("comments", "view_blockedsender"),
        ("comments", "view_comment"),
        ("comments", "answer_comment"),
        ("comments", "pick_comment"),
        ("comments", "view_privacyrequest"),
        # Editors moderate too.
        ("comments", "moderate_comment"),
        ("comments", "view_moderationlogentry"),
        ("comments", "view_flag"),
        ("letters", "view_readermessage"),
        ("letters", "change_readermessage"),
        ("dashboard", "view_dashboard"),
        # Sections' comment policies: who is moderated first, closing, who is told.
        ("comments", "add_sectionpolicy"),
        ("comments", "change_sectionpolicy"),
        ("comments", "delete_sectionpolicy"),
        ("comments", "view_sectionpolicy"),
    ],
    # Comments, and nothing else.
    "Moderators": [
        ("comments", "view_comment"),
        ("comments", "moderate_comment"),
        ("comments", "pick_comment"),
        ("comments", "view_moderationlogentry"),
        ("comments", "view_flag"),
        # They block a sender from a comment's card: they see the list and can undo a block.
        ("comments", "view_blockedsender"),
        ("comments", "delete_blockedsender"),
    ],
}


def ensure_roles(apps):
    """Create the groups and grant what exists of their permissions; safe to run again."""
    # Permissions are normally made after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        # Migration state's app configs have no models module; create_permissions wants one.
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in grants:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
