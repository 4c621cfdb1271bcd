# The comment policy moves from the tags (articles) to comments, keyed by tag: one policy
# for each tag whose settings differ from the default (every comment waits, comments stay
# open, every moderator told). articles 0018 then drops the tags' columns and the stories'
# copied closing date. Backwards, the tags get their settings back and each story its date.

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from newsroom.roles import ensure_roles


def policies_from_tags(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    SectionPolicy = apps.get_model("comments", "SectionPolicy")
    for tag in Tag.objects.prefetch_related("moderators"):
        moderators = list(tag.moderators.all())
        if tag.premoderation == "all" and tag.comments_close_days is None and not moderators:
            continue
        policy = SectionPolicy.objects.create(
            tag=tag,
            premoderation=tag.premoderation,
            trusted_after=tag.trusted_after,
            close_after_days=tag.comments_close_days,
        )
        policy.moderators.set(moderators)


def policies_to_tags(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    Article = apps.get_model("articles", "Article")
    SectionPolicy = apps.get_model("comments", "SectionPolicy")
    for policy in SectionPolicy.objects.select_related("tag").prefetch_related("moderators"):
        Tag.objects.filter(pk=policy.tag_id).update(
            premoderation=policy.premoderation,
            trusted_after=policy.trusted_after,
            comments_close_days=policy.close_after_days,
        )
        policy.tag.moderators.set(policy.moderators.all())
    closing = SectionPolicy.objects.exclude(close_after_days=None)
    days_by_tag = dict(closing.values_list("tag_id", "close_after_days"))
    if not days_by_tag:
        return
    stories = Article.objects.filter(tags__in=list(days_by_tag)).distinct()
    for story in stories.prefetch_related("tags"):
        days = min(days_by_tag[t.pk] for t in story.tags.all() if t.pk in days_by_tag)
        story.comments_close_at = story.published_at + timedelta(days=days)
        story.save(update_fields=["comments_close_at"])


def grant_roles(apps, schema_editor):
    ensure_roles(apps)  # editors keep the policies they had on the tags


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0017_desk_index'),
        ('comments', '0015_outbox_moves_to_newsroom'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SectionPolicy',
            fields=[
                ('tag', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='comment_policy', serialize=False, to='articles.tag', verbose_name='tag')),
                ('premoderation', models.CharField(choices=[('all', 'Every comment waits for a moderator'), ('trusted', 'Regular commenters are published at once')], default='all', help_text='Regular commenters: at least “trusted after” comments published under their address, none refused in the last 90 days. Their comments are published at once and listed for a later look; a banned word still holds them.', max_length=10, verbose_name='who is moderated first')),
                ('trusted_after', models.PositiveSmallIntegerField(default=3, verbose_name='trusted after')),
                ('close_after_days', models.PositiveSmallIntegerField(blank=True, help_text='Days after publication; empty: comments stay open.', null=True, verbose_name='comments close after (days)')),
                ('moderators', models.ManyToManyField(blank=True, help_text='Empty: every moderator is told.', related_name='moderated_sections', to=settings.AUTH_USER_MODEL, verbose_name='moderators told of its comments')),
            ],
            options={
                'verbose_name': 'comment policy',
                'verbose_name_plural': 'comment policies',
                'ordering': ['tag__name'],
            },
        ),
        migrations.RunPython(policies_from_tags, policies_to_tags),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
