import json
import time
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from comments.forms import _SALT, issue_token
from comments.models import Comment
from newsroom.typography import french
from tests.factories import clear_caches, comment_data, make_article, make_comment
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db

THANKS = "Merci pour votre commentaire. Il sera visible prochainement sous réserve de validation."


def post_url(article):
    return reverse("comments:post", kwargs={"slug": article.slug})


def test_valid_comment_is_stored_pending_and_reader_is_thanked(client, article):
    response = client.post(post_url(article), comment_data(article))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == article.get_absolute_url() + "#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert (comment.name, comment.email) == ("Léa Martin", "lea.martin@example.org")
    page = client.get(response["Location"]).content.decode()
    assert THANKS in page


def test_pending_comment_is_hidden_from_others_and_not_counted(client, article):
    client.post(post_url(article), comment_data(article, body="Un avis encore secret."))
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Un avis encore secret." not in page
    assert french("0 commentaire") in page


def test_author_sees_own_pending_comment_marked_as_awaiting(client, article):
    client.post(post_url(article), comment_data(article, body="Mon avis en attente."))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Mon avis en attente." in page
    assert "En attente de validation" in page
    # Not "0 commentaire" above the reader's own comment: what they see is said.
    assert french("0 commentaire") not in page
    assert "Aucun commentaire publié pour l’instant" in page


@pytest.mark.parametrize(
    ("approved", "heading"),
    [(0, french("0 commentaire<")), (1, french("1 commentaire<")), (2, french("2 commentaires<"))],
)
def test_heading_counts_approved_comments_with_french_plurals(client, article, approved, heading):
    for _ in range(approved):
        make_comment(article)
    make_comment(article, status=Comment.Status.PENDING)
    make_comment(article, status=Comment.Status.SPAM)
    assert heading in client.get(article.get_absolute_url()).content.decode()


def test_story_without_comments_invites_the_first(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        french(
            "Il n'y a actuellement aucun commentaire concernant cet article. "
            "Soyez le premier à donner votre avis !"
        )
    ) in page


def test_form_shows_the_notices_and_labelled_fields(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Votre email ne sera pas affiché publiquement." in page
    assert "Tous les champs sont obligatoires." in page
    for field in ("name", "email", "body"):
        assert f'for="id_{field}"' in page and f'id="id_{field}"' in page


def test_approved_comments_show_newest_first_with_line_breaks(client, article):
    make_comment(article, body="Premier avis.\nDeuxième ligne.")
    make_comment(article, body="Second avis.")
    page = client.get(article.get_absolute_url()).content.decode()
    # The most recent first (comments.paging: pages of threads, the newest shown).
    assert page.index("Second avis.") < page.index("Premier avis.")
    assert "Premier avis.<br>Deuxième ligne." in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"name": "   "}, "Ce champ est obligatoire."),
        ({"body": " \n\t "}, "Ce champ est obligatoire."),
        ({"email": ""}, "Ce champ est obligatoire."),
        ({"name": "n" * 81}, french("81 caractères : la limite est de 80.")),
        ({"body": "b" * 3001}, french("3 001 caractères : la limite est de 3 000.")),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse email valide"),
        ({"website": "http://spam.example"}, "Laissez le dernier champ, caché, vide."),
        ({"issued": "forged"}, "Ce formulaire n’a pas pu être vérifié."),
        ({"issued": ""}, "Ce formulaire n’a pas pu être vérifié."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    client, article, overrides, message
):
    data = comment_data(article, **overrides)
    response = client.post(post_url(article), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_refused_form_keeps_what_the_reader_typed(client, article):
    response = client.post(
        post_url(article), comment_data(article, email="faux", body="Mon long texte réfléchi.")
    )
    page = response.content.decode()
    assert "Mon long texte réfléchi.</textarea>" in page
    assert 'value="Léa Martin"' in page


def test_form_sent_too_fast_is_not_accepted_as_is(client, article):
    data = comment_data(article, issued=issue_token(article.pk))
    response = client.post(post_url(article), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "envoyé très vite" in response.content.decode()
    assert not Comment.objects.exists()


def test_form_older_than_a_day_is_not_accepted_as_is(client, article):
    data = comment_data(article, issued=issue_token(article.pk, time.time() - 10))
    with time_machine.travel(timedelta(days=1, minutes=1)):
        response = client.post(post_url(article), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "plus d’un jour" in response.content.decode()
    assert not Comment.objects.exists()


def test_token_of_another_story_is_refused(client, article):
    other = make_article()
    data = comment_data(article, issued=issue_token(other.pk, time.time() - 10))
    assert client.post(post_url(article), data).status_code == HTTPStatus.BAD_REQUEST
    assert not Comment.objects.exists()


def test_post_without_csrf_token_is_refused(article):
    response = Client(enforce_csrf_checks=True).post(post_url(article), comment_data(article))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def test_post_for_unknown_story_is_not_found(client):
    url = reverse("comments:post", kwargs={"slug": "inconnu"})
    assert client.post(url, {}).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": Article().published_at + timedelta(days=1)},
    ],
)
def test_post_for_unpublished_story_is_not_found(client, fields):
    article = make_article(**fields)
    assert client.post(post_url(article), comment_data(article)).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_on_the_post_endpoint_write_nothing(client, article, method):
    response = getattr(client, method)(post_url(article))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not Comment.objects.exists()


def test_closed_story_shows_comments_and_says_it_is_closed(client):
    article = make_article(comments_open=False)
    make_comment(article, body="Un avis d'avant la fermeture.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "avant la fermeture" in page
    assert "Les commentaires sont fermés pour cet article." in page
    assert 'id="comment-form"' not in page


def test_post_to_closed_story_is_refused_and_stores_nothing(client):
    article = make_article(comments_open=False)
    response = client.post(post_url(article), comment_data(article))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Les commentaires sont fermés" in response.content.decode()
    assert not Comment.objects.exists()


def test_rate_limit_answers_429_and_stores_nothing_more(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 5
    for n in range(5):
        response = client.post(post_url(article), comment_data(article, body=f"Avis numéro {n}."))
        assert response.status_code == HTTPStatus.FOUND
    response = client.post(post_url(article), comment_data(article, body="Un avis de trop."))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Attendez quelques minutes" in response.content.decode()
    assert "Un avis de trop.</textarea>" in response.content.decode()
    assert Comment.objects.count() == 5


def test_past_the_limit_a_post_is_refused_before_the_story_or_the_form_is_read(
    client, article, settings, django_assert_num_queries
):
    """A flood of refused posts costs a worker a cache read each, not a page's work."""
    settings.COMMENT_RATE_LIMIT = 1
    assert client.post(post_url(article), comment_data(article)).status_code == HTTPStatus.FOUND
    flooder = Client()
    with django_assert_num_queries(0):
        response = flooder.post(post_url(article), comment_data(article, body="Encore <b>un</b>."))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == str(settings.COMMENT_RATE_WINDOW)
    html = response.content.decode()
    assert "Attendez quelques minutes avant d’en envoyer un autre" in html
    assert "Encore &lt;b&gt;un&lt;/b&gt;.</textarea>" in html
    assert f'href="{article.get_absolute_url()}#comment-form"' in html
    assert Comment.objects.count() == 1


def test_rate_limit_is_per_client_address(article, settings):
    settings.COMMENT_RATE_LIMIT = 1
    first = Client(REMOTE_ADDR="198.51.100.1")
    second = Client(REMOTE_ADDR="198.51.100.2")
    assert first.post(post_url(article), comment_data(article, body="Un.")).status_code == 302
    assert first.post(post_url(article), comment_data(article, body="Deux.")).status_code == 429
    assert second.post(post_url(article), comment_data(article, body="Trois.")).status_code == 302


XSS_NAME = "<script>alert('name')</script>"
XSS_BODY = (
    '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">clic</a> https://lien.example'
)


def test_markup_is_stored_as_typed_and_shown_inert(client, article, moderator):
    from comments.services import comment_approve

    client.post(post_url(article), comment_data(article, name=XSS_NAME, body=XSS_BODY))
    comment = Comment.objects.get()
    assert (comment.name, comment.body) == (XSS_NAME, XSS_BODY)
    comment_approve(comment=comment, moderator=moderator)
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "<script>alert('name')" not in page
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert 'href="https://lien.example' not in page


def test_commenter_email_never_appears_in_public_pages(client, article):
    make_comment(article, email="secret.approved@example.org")
    client.post(post_url(article), comment_data(article, email="secret.pending@example.org"))
    for page in (
        client.get(article.get_absolute_url()),
        Client().get(article.get_absolute_url()),
        Client().get(reverse("articles:index")),
    ):
        assert b"secret.approved@example.org" not in page.content
        assert b"secret.pending@example.org" not in page.content


def test_story_page_query_count_does_not_grow_with_comments(client):
    one = make_article()
    make_comment(one)
    many = make_article()
    for _ in range(100):
        make_comment(many)

    def queries(article):
        clear_caches()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    assert queries(one) == queries(many)


def test_token_endpoint_gives_csrf_and_form_tokens():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("comments:tokens", args=[article.slug]))
    tokens = json.loads(response.content)
    assert response["Cache-Control"].startswith("max-age=0")
    assert "csrftoken" in response.cookies
    assert signing.loads(tokens["issued"], salt=_SALT)["a"] == article.pk
    data = comment_data(article, csrfmiddlewaretoken=tokens["csrf"], issued=tokens["issued"])
    response = client.post(reverse("comments:post", args=[article.slug]), data)
    # Fresh token: refused as too fast, but the CSRF check passed.
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "très vite" in response.content.decode()


def test_token_endpoint_is_not_found_for_drafts():
    draft = make_article(status=Article.Status.DRAFT)
    assert Client().get(reverse("comments:tokens", args=[draft.slug])).status_code == 404


def test_form_without_scripts_carries_its_tokens():
    article = make_article()
    html = Client().get(article.get_absolute_url() + "?formulaire").content.decode()
    assert "csrfmiddlewaretoken" in html
    assert 'name="issued" value="ey' in html


def test_refused_comment_comes_back_at_the_form_with_a_summary(client, article):
    response = client.post(post_url(article), comment_data(article, email="pas-une-adresse"))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'id="error-summary" role="alert" tabindex="-1"' in html
    assert '<a href="#id_email">' in summary
    assert french("Email : Saisissez une adresse email valide") in summary
    # The page is the form: the story's text is not repeated above it.
    assert html.index('id="error-summary"') < html.index('id="comment-form"')
    assert "story__body" not in html


def test_a_form_refused_for_speed_says_so_once(client, article):
    data = comment_data(article, issued=issue_token(article.pk, time.time()))
    html = client.post(post_url(article), data).content.decode()
    assert html.count("très vite") == 1


def test_a_long_comment_is_never_cut(client, article):
    long_text = "Un avis détaillé. " * 250  # 4,500 characters
    response = client.post(post_url(article), comment_data(article, body=long_text))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert len(long_text.strip()) == 4499
    assert french("4 499 caractères : la limite est de 3 000.") in html
    assert long_text.strip() in html
    assert not Comment.objects.exists()


def test_the_form_leaves_validation_and_lengths_to_the_server(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    form = html.split('id="comment-form"', 1)[1].split("</form>", 1)[0]
    assert "novalidate" in form
    assert "maxlength" not in form
    assert 'data-limit="3000"' in form
    assert french("3 000 caractères au plus.") in html


def comment_form(client, article):
    """The comment form as a browser without scripts shows it, shown ten seconds ago."""
    with time_machine.travel(time.time() - 10):
        return rendered_form(client.get(article.get_absolute_url() + "?formulaire"), "comment-form")


def test_a_reader_comments_through_the_form_as_the_page_renders_it(client, article):
    form = comment_form(client, article)
    form.update(name="Léa Martin", email="lea@example.org", body="Premier point.\n\nSecond point.")
    response = form.submit(client)
    assert response.status_code == HTTPStatus.FOUND
    comment = Comment.objects.get()
    assert (comment.status, comment.body) == (
        Comment.Status.PENDING,
        "Premier point.\n\nSecond point.",
    )
    assert THANKS in client.get(response["Location"]).content.decode()


def test_the_same_text_sent_again_is_kept_once_and_the_reader_told(client, article):
    for _ in range(2):  # the second time from another device: no cookie, a new form
        device = Client()
        form = comment_form(device, article)
        form.update(
            name="Léa", email="Lea@Example.org", body="Un avis que je renvoie, faute de réponse."
        )
        response = form.submit(device)
        assert response.status_code == HTTPStatus.FOUND
    page = device.get(response["Location"]).content.decode()
    assert "Vous nous aviez déjà envoyé ce commentaire le" in page
    assert THANKS not in page
    assert "Un avis que je renvoie" in page  # their waiting comment, shown to them
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.spam_reason == ""


def test_a_form_sent_empty_says_what_is_missing_not_that_it_was_quick(client, article):
    form = rendered_form(client.get(article.get_absolute_url() + "?formulaire"), "comment-form")
    response = form.submit(client)  # at once, nothing typed
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "très vite" not in html
    assert "Ce champ est obligatoire." in html
    assert '<h1 class="page-title">Votre commentaire</h1>' in html
    assert not Comment.objects.exists()
