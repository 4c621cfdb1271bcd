"""Every model a public page shows × create / change / delete, through the services and
through the admin's own forms and actions: the next anonymous page shows the change.

Each case warms the cache with the pages it checks (the story, the home page, the story's
comment feed), makes one change as its people make it, and says what those pages must show
now ("-text": must no longer show; a status: the page's answer). A model of ours missing
from MODELS_ON_PAGES and from NEVER_ON_A_PUBLIC_PAGE fails test_every_model_is_accounted_for.
"""

from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, BodyImage, Correction, Tag
from articles.services import (
    article_delete,
    article_save,
    article_unpublish,
    body_image_delete,
    body_image_save,
    correction_add,
    tag_delete,
    tag_save,
)
from comments.models import Comment, SectionPolicy
from comments.services import (
    comment_answer,
    comment_approve,
    comment_mark_spam,
    comment_pick,
    comment_redact,
    comment_reject,
    comment_submit,
)
from newsroom.typography import french
from tests.factories import (
    image_upload,
    make_article,
    make_comment,
    make_policy,
    make_tag,
    make_user,
)
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db

# The models a public page shows, and the cases below that cover them.
MODELS_ON_PAGES = {
    "articles.Article",
    "articles.Tag",
    "comments.SectionPolicy",  # the form or "comments are closed" on its stories
    "articles.Correction",
    "articles.BodyImage",
    "auth.User",  # bylines
    "comments.Comment",
}
# Ours that no public page shows, and why.
NEVER_ON_A_PUBLIC_PAGE = {
    "articles.DeletedArticle": "the bin: a proxy of Article, restored through the table",
    "articles.Autosave": "what a journalist typed and did not save: theirs, in the admin",
    "archive.SourceRecord": "an import's memory of the export's ids",
    "archive.OldAddress": "read on each 404 by archive.middleware, never cached",
    "articles.DailyReadings": "readings move 'most read', which is cached for a minute by design",
    "comments.ModerationLogEntry": "the moderators' log, admin only",
    "newsroom.OutgoingMail": "mail, never on a page",
    "comments.PrivacyRequest": "a record of readers' requests, admin only",
    "comments.ErasedAddress": "hashes of erased addresses, never shown",
    "newsroom.RateLimitEvent": "the rate limit's counts",
    "comments.BannedWord": "a spam rule: read when a comment is sent",
    "comments.BlockedSender": "a spam rule: read when a comment is sent",
    "comments.Flag": "readers' reports: a comment leaves the page through Comment's status",
    "letters.ReaderMessage": "private messages to the newsroom",
}
OUR_APPS = {"articles", "comments", "letters", "newsroom", "archive"}


def test_every_model_is_accounted_for():
    ours = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not model._meta.auto_created
    }
    unaccounted = ours - MODELS_ON_PAGES - set(NEVER_ON_A_PUBLIC_PAGE)
    assert not unaccounted, f"add a row to the invalidation table for {unaccounted}"
    covered = {case.model for case in CASES}
    assert covered == MODELS_ON_PAGES


class World:
    """A published story by Claire Dumont, tagged Export, with Jeanne's published comment;
    an editor's admin session."""

    def __init__(self):
        self.author = make_user(
            "plume", group="Journalists", first_name="Claire", last_name="Dumont"
        )
        self.editor = make_user("chef", group="Editors", first_name="Régine", last_name="Chef")
        self.tag = make_tag("Export")
        self.article = make_article(
            title="Le titre d'avant",
            body="Premier paragraphe.",
            tags=[self.tag],
            authors=[self.author],
            published_at=timezone.now() - timedelta(days=2),
        )
        self.comment = make_comment(self.article, name="Jeanne Publiée", email="j@example.org")
        self.admin = Client()
        self.admin.force_login(self.editor)

    def superuser(self):
        client = Client()
        client.force_login(make_user("racine", is_superuser=True, is_staff=True))
        return client

    def reload(self):
        return Article.objects.get(pk=self.article.pk)

    def change_form(self, client=None, model="articles_article", pk=None):
        client = client or self.admin
        url = reverse(f"admin:{model}_change", args=[pk or self.article.pk])
        return rendered_form(client.get(url))

    def changelist_action(self, model, action, pks, client=None):
        client = client or self.admin
        page = client.get(reverse(f"admin:{model}_changelist"))
        form = rendered_form(page, "changelist-form")
        form.update(action=action, _selected_action=[str(pk) for pk in pks])
        response = form.submit(client, "index")
        assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
        return response

    def confirm_delete(self, model, pk, client=None):
        client = client or self.admin
        page = client.get(reverse(f"admin:{model}_delete", args=[pk]))
        assert page.status_code == HTTPStatus.OK
        assert rendered_form(page).submit(client).status_code == HTTPStatus.FOUND


def pages(article):
    urls = {
        "story": article.get_absolute_url(),
        "home": reverse("articles:index"),
        "feed": reverse("comments:feed", args=[article.slug]),
    }
    answers = {name: Client().get(url) for name, url in urls.items()}
    return {name: (r.status_code, r.content.decode()) for name, r in answers.items()}


class Case:
    def __init__(self, model, action, path, write):
        self.model, self.action, self.path, self.write = model, action, path, write

    def __repr__(self):
        return f"{self.model}-{self.action}-{self.path}-{self.write.__name__}"


CASES = []


def case(model, action, path):
    def register(write):
        CASES.append(Case(model, action, path, write))
        return write

    return register


# Stories


@case("articles.Article", "create", "service")
def new_story_saved(w):
    make_article(title="Une usine à Fos", authors=[w.author])
    return {"home": "Une usine à Fos"}


@case("articles.Article", "create", "admin")
def new_story_from_the_add_form(w):
    form = rendered_form(w.admin.get(reverse("admin:articles_article_add")))
    form.update(
        title="Une usine à Fos",
        standfirst="Un chapô.",
        body="Un texte.",
        status="published",
        authors=[w.editor.pk],
    )
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"home": "Une usine à Fos"}


@case("articles.Article", "change", "service")
def title_edited(w):
    article = w.reload()
    article.title = "Un titre tout neuf"
    article_save(article=article)
    return {"story": "Un titre tout neuf", "home": "Un titre tout neuf"}


@case("articles.Article", "change", "service")
def comments_closed(w):
    article = w.reload()
    article.comments_open = False
    article_save(article=article)
    return {"story": "Les commentaires sont fermés pour cet article."}


@case("articles.Article", "change", "service")
def unpublished(w):
    article_unpublish(article=w.reload())
    return {"story": HTTPStatus.NOT_FOUND, "home": "-Le titre d'avant", "feed": 404}


@case("articles.Article", "change", "admin")
def title_edited_in_the_form(w):
    form = w.change_form().update(title="Un titre tout neuf", standfirst="Un chapô revu.")
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Un chapô revu.", "home": "Un titre tout neuf"}


@case("articles.Article", "change", "admin")
def unpublished_from_the_list(w):
    w.changelist_action("articles_article", "unpublish", [w.article.pk])
    return {"story": HTTPStatus.NOT_FOUND, "home": "-Le titre d'avant"}


@case("articles.Article", "change", "admin")
def restored_from_the_bin(w):
    article_delete(article=w.reload())
    assert "Le titre d'avant" not in pages(w.article)["home"][1]
    w.changelist_action("articles_deletedarticle", "restore", [w.article.pk])
    return {"story": "Le titre d'avant", "home": "Le titre d'avant"}


@case("articles.Article", "delete", "service")
def put_in_the_bin(w):
    article_delete(article=w.reload())
    return {"story": HTTPStatus.NOT_FOUND, "home": "-Le titre d'avant", "feed": 404}


@case("articles.Article", "delete", "admin")
def deleted_from_its_page(w):
    w.confirm_delete("articles_article", w.article.pk)
    return {"story": HTTPStatus.NOT_FOUND, "home": "-Le titre d'avant"}


@case("articles.Article", "delete", "admin")
def deleted_from_the_list(w):
    client = w.superuser()  # bulk deletion is for those who may delete published stories
    page = w.changelist_action("articles_article", "delete_selected", [w.article.pk], client)
    # Django asks to confirm a bulk deletion: the confirmation page's form, sent.
    assert rendered_form(page).submit(client).status_code == HTTPStatus.FOUND
    return {"story": HTTPStatus.NOT_FOUND, "home": "-Le titre d'avant"}


@case("articles.Article", "delete", "service")
def purged_from_the_bin(w):
    article_delete(article=w.reload())
    with time_machine.travel(timezone.now() + timedelta(days=settings.STORY_BIN_DAYS + 1)):
        call_command("stories_purge", stdout=StringIO())
    return {"story": HTTPStatus.NOT_FOUND, "home": "-Le titre d'avant"}


# Tags


@case("articles.Tag", "create", "admin")
def new_tag_given_to_the_story(w):
    form = rendered_form(w.admin.get(reverse("admin:articles_tag_add")))
    assert form.update(name="Hydrogène", slug="hydrogene").submit(w.admin).status_code == 302
    form = w.change_form().update(tags=[w.tag.pk, Tag.objects.get(slug="hydrogene").pk])
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Hydrogène", "home": "Hydrogène"}


@case("articles.Tag", "change", "service")
def tag_renamed(w):
    w.tag.name = "Exportations lointaines"
    tag_save(tag=w.tag)
    return {"story": "Exportations lointaines", "home": "Exportations lointaines"}


@case("articles.Tag", "change", "admin")
def tag_renamed_in_its_form(w):
    form = w.change_form(model="articles_tag", pk=w.tag.pk).update(name="Exportations lointaines")
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Exportations lointaines", "home": "Exportations lointaines"}


@case("comments.SectionPolicy", "create", "admin")
def section_closes_comments(w):
    form = rendered_form(w.admin.get(reverse("admin:comments_sectionpolicy_add")))
    form.update(tag=str(w.tag.pk), close_after_days="1")
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Les commentaires sont fermés pour cet article."}


@case("comments.SectionPolicy", "change", "admin")
def section_reopens_comments(w):
    make_policy(w.tag, close_after_days=1)
    assert "Les commentaires sont fermés" in pages(w.article)["story"][1]
    form = w.change_form(model="comments_sectionpolicy", pk=w.tag.pk)
    assert form.update(close_after_days="").submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Laisser un commentaire"}


@case("comments.SectionPolicy", "delete", "admin")
def section_policy_deleted(w):
    make_policy(w.tag, close_after_days=1)
    assert "Les commentaires sont fermés" in pages(w.article)["story"][1]
    w.confirm_delete("comments_sectionpolicy", w.tag.pk)
    return {"story": "Laisser un commentaire"}


@case("articles.Tag", "delete", "service")
def tag_deleted_with_its_closing_rule(w):
    make_policy(w.tag, close_after_days=1)
    assert "Les commentaires sont fermés" in pages(w.article)["story"][1]
    tag_delete(tag=w.tag)
    return {"story": "Laisser un commentaire", "home": "-Export<"}


@case("articles.Tag", "delete", "admin")
def tag_deleted_from_its_page(w):
    make_policy(w.tag, close_after_days=1)
    assert "Les commentaires sont fermés" in pages(w.article)["story"][1]
    w.confirm_delete("articles_tag", w.tag.pk)
    return {"story": "Laisser un commentaire", "home": "-Export<"}


# Bylines


@case("auth.User", "change", "service")
def journalist_renamed(w):
    w.author.first_name = "Claire-Anne"
    w.author.save()
    return {"story": "Claire-Anne Dumont"}


@case("auth.User", "change", "service")
def former_journalist_renamed(w):
    get_user_model().objects.filter(pk=w.author.pk).update(is_staff=False)
    author = get_user_model().objects.get(pk=w.author.pk)
    author.last_name = "Dumont-Vidal"
    author.save()
    return {"story": "Claire Dumont-Vidal"}


@case("auth.User", "change", "admin")
def journalist_renamed_in_the_accounts(w):
    client = w.superuser()
    form = w.change_form(client, model="auth_user", pk=w.author.pk).update(first_name="Claire-Anne")
    assert form.submit(client).status_code == HTTPStatus.FOUND
    return {"story": "Claire-Anne Dumont"}


@case("auth.User", "delete", "service")
def journalist_deleted(w):
    get_user_model().objects.get(pk=w.author.pk).delete()
    return {"story": "-Claire Dumont"}


@case("auth.User", "delete", "admin")
def journalist_deleted_in_the_accounts(w):
    w.confirm_delete("auth_user", w.author.pk, client=w.superuser())
    return {"story": "-Claire Dumont"}


# Corrections and the images of a story's text


@case("articles.Correction", "create", "service")
def correction_added(w):
    correction_add(article=w.reload(), kind="correction", text="Le budget est de 4 M€.")
    return {"story": "Le budget est de 4"}


@case("articles.Correction", "create", "admin")
def correction_added_in_the_form(w):
    form = w.change_form()
    form.add_inline(
        "corrections",
        kind="update",
        text="Le conseil a voté ce soir.",
        created_at_0=timezone.localtime().strftime("%d/%m/%Y"),
        created_at_1="09:00:00",
    )
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Le conseil a voté ce soir."}


@case("articles.Correction", "change", "admin")
def correction_reworded_in_the_form(w):
    correction_add(article=w.reload(), kind="correction", text="Le budget est de 4 M€.")
    assert "Le budget est de 4" in pages(w.article)["story"][1]
    form = w.change_form().update(**{"corrections-0-text": "Le budget est de 5 M€."})
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Le budget est de 5"}


@case("articles.Correction", "delete", "admin")
def correction_deleted_in_the_form(w):
    correction_add(article=w.reload(), kind="correction", text="Le budget est de 4 M€.")
    assert "Le budget est de 4" in pages(w.article)["story"][1]
    client = w.superuser()  # editors add and change corrections; deleting one is rarer
    form = w.change_form(client).update(**{"corrections-0-DELETE": True})
    assert form.submit(client).status_code == HTTPStatus.FOUND
    assert not Correction.objects.exists()
    return {"story": "-Le budget est de 4"}


def _placed_image(w, caption="Le quai nord"):
    image = body_image_save(
        image=BodyImage(article=w.article, image=image_upload(), alt="Un quai", caption=caption)
    )
    article = w.reload()
    article.body = f"Premier paragraphe.\n\n{image.placeholder}"
    article_save(article=article)
    return image


@case("articles.BodyImage", "create", "service")
def image_placed_in_the_text(w):
    _placed_image(w)
    return {"story": "Le quai nord"}


@case("articles.BodyImage", "change", "admin")
def image_caption_changed_in_the_form(w):
    _placed_image(w)
    assert "Le quai nord" in pages(w.article)["story"][1]
    form = w.change_form().update(**{"body_images-0-caption": "Le quai sud"})
    assert form.submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Le quai sud"}


@case("articles.BodyImage", "delete", "service")
def image_removed(w):
    image = _placed_image(w)
    assert "Le quai nord" in pages(w.article)["story"][1]
    body_image_delete(image=image)
    return {"story": "-Le quai nord"}


# Comments


@case("comments.Comment", "create", "service")
def comment_approved(w):
    comment = make_comment(w.article, status=Comment.Status.PENDING, name="Paul Nouveau")
    comment_approve(comment=comment, moderator=w.editor)
    return {"story": "Paul Nouveau", "feed": "Paul Nouveau"}


@case("comments.Comment", "create", "service")
def regular_commenter_published_at_once(w):
    make_policy(w.tag, premoderation=SectionPolicy.Premoderation.TRUSTED, trusted_after=1)
    make_comment(w.article, email="paul@example.org")  # one reviewed already
    comment_submit(
        article=w.reload(),
        name="Paul Habitué",
        email="paul@example.org",
        body="Un avis d'habitué.",
        ip_address="",
    )
    return {"story": "Paul Habitué", "feed": "Paul Habitué"}


@case("comments.Comment", "create", "admin")
def comment_approved_in_the_queue(w):
    comment = make_comment(w.article, status=Comment.Status.PENDING, name="Paul Nouveau")
    decide = reverse("admin:comments_comment_decide", args=[comment.pk, "approve"])
    queue = w.admin.get(reverse("admin:comments_comment_queue"))
    assert rendered_form(queue, decide).submit(w.admin).status_code == HTTPStatus.FOUND
    return {"story": "Paul Nouveau", "feed": "Paul Nouveau"}


@case("comments.Comment", "create", "admin")
def comments_approved_in_bulk(w):
    comment = make_comment(w.article, status=Comment.Status.PENDING, name="Paul Nouveau")
    w.changelist_action("comments_comment", "approve", [comment.pk])
    return {"story": "Paul Nouveau", "feed": "Paul Nouveau"}


@case("comments.Comment", "create", "admin")
def newsroom_answer(w):
    page = w.admin.get(reverse("admin:comments_comment_change", args=[w.comment.pk]))
    form = rendered_form(page, reverse("admin:comments_comment_answer", args=[w.comment.pk]))
    form.update(body="La rédaction vous répond.").submit(w.admin)
    return {"story": "La rédaction vous répond.", "feed": "La rédaction vous répond."}


@case("comments.Comment", "create", "service")
def newsroom_answer_by_service(w):
    comment_answer(parent=w.comment, author=w.editor, body="La rédaction vous répond.")
    return {"story": "La rédaction vous répond."}


@case("comments.Comment", "change", "service")
def comment_rejected(w):
    comment_reject(comment=w.comment, moderator=w.editor)
    return {"story": "-Jeanne Publiée", "feed": "-Jeanne Publiée"}


@case("comments.Comment", "change", "service")
def comment_marked_spam(w):
    comment_mark_spam(comment=w.comment, moderator=w.editor)
    return {"story": "-Jeanne Publiée", "feed": "-Jeanne Publiée"}


@case("comments.Comment", "change", "service")
def comment_redacted(w):
    comment_redact(comment=w.comment, moderator=w.editor, body="Texte modéré.")
    return {"story": "Texte modéré.", "feed": "Texte modéré."}


@case("comments.Comment", "change", "service")
def comment_picked(w):
    comment_pick(comment=w.comment, person=w.editor)
    return {"story": "Sélection de la rédaction</p>", "feed": "Sélection de la rédaction"}


@case("comments.Comment", "change", "admin")
def comment_picked_in_bulk(w):
    w.changelist_action("comments_comment", "pick", [w.comment.pk])
    return {"story": "Sélection de la rédaction</p>", "feed": "Sélection de la rédaction"}


@case("comments.Comment", "change", "service")
def comment_taken_out_of_the_picks(w):
    comment_pick(comment=w.comment, person=w.editor)
    pages(w.article)  # seen picked
    comment_pick(comment=w.comment, person=w.editor, picked=False)
    return {"story": "-Sélection de la rédaction</p>", "feed": "-Sélection de la rédaction"}


@case("comments.Comment", "change", "admin")
def comment_rejected_in_bulk(w):
    w.changelist_action("comments_comment", "reject", [w.comment.pk])
    return {"story": "-Jeanne Publiée", "feed": "-Jeanne Publiée"}


@case("comments.Comment", "change", "admin")
def comment_redacted_from_its_card(w):
    comment_reject(comment=w.comment, moderator=w.editor)
    comment = make_comment(w.article, status=Comment.Status.PENDING, body="Appelez le 06 12 34.")
    queue = w.admin.get(reverse("admin:comments_comment_queue"))
    redact = reverse("admin:comments_comment_act", args=[comment.pk, "redact"])
    rendered_form(queue, redact).update(body="Appelez-nous.").submit(w.admin)
    comment_approve(comment=Comment.objects.get(pk=comment.pk), moderator=w.editor)
    return {"story": "Appelez-nous.", "feed": "-06 12 34"}


@case("comments.Comment", "delete", "service")
def comments_erased_by_command(w):
    call_command("comments_erase", "j@example.org", stdout=StringIO())
    return {"story": "-Jeanne Publiée", "feed": "-Jeanne Publiée"}


@case("comments.Comment", "delete", "admin")
def comments_cannot_be_deleted_from_the_admin(w):
    """Rejected, marked as spam or erased, each logged: never deleted from the admin."""
    client = w.superuser()
    page = client.get(reverse("admin:comments_comment_delete", args=[w.comment.pk]))
    assert page.status_code == HTTPStatus.FORBIDDEN
    return {"story": "Jeanne Publiée"}


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_every_public_change_is_on_the_next_anonymous_page(case):
    w = World()
    before = pages(w.article)
    assert all(status == HTTPStatus.OK for status, _html in before.values())
    assert "Jeanne Publiée" in before["story"][1] and "Export" in before["home"][1]
    expected = case.write(w)
    after = pages(w.article)
    for page, wanted in expected.items():
        status, html = after[page]
        if isinstance(wanted, int):
            assert status == wanted, page
        elif wanted.startswith("-"):
            assert wanted[1:] not in html and french(wanted[1:]) not in html, page
        else:
            assert status == HTTPStatus.OK, page
            assert wanted in html or french(wanted) in html, page
