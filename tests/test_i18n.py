import ast
import gettext
from pathlib import Path

import pytest
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
SKIP_DIRS = {".venv", "tests", "migrations", "node_modules"}


def template_msgids():
    engine = engines["django"].engine
    for path in sorted((ROOT / "templates").rglob("*.html")):
        nodelist = engine.get_template(str(path.relative_to(ROOT / "templates"))).nodelist
        name = path.name
        for node in nodelist.get_nodes_by_type(TranslateNode):
            literal = node.filter_expression.var.literal
            if literal is not None:
                yield name, str(literal)
        for node in nodelist.get_nodes_by_type(BlockTranslateNode):
            yield name, node.render_token_list(node.singular)[0]


def code_msgids():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIP_DIRS & set(parts) or any(part.startswith(".") for part in parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield str(path.relative_to(ROOT)), node.args[0].value


def compiled_catalogue():
    with CATALOGUE.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    return {
        key[0] if isinstance(key, tuple) else key: value
        for key, value in catalogue.items()
        if value
    }


def test_every_interface_string_has_a_french_translation():
    catalogue = compiled_catalogue()
    found = list(template_msgids()) + list(code_msgids())
    assert len(found) > 100
    missing = sorted({f"{where}: {msgid!r}" for where, msgid in found if msgid not in catalogue})
    assert not missing, "Not in locale/fr (run ./dev messages and translate):\n" + "\n".join(
        missing
    )


@pytest.mark.django_db
def test_site_is_french_even_for_an_english_browser():
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(reverse("articles:index"))
    assert '<html lang="fr">' in page.content.decode()
    assert "À la une" in page.content.decode()


@pytest.mark.django_db
def test_reader_can_switch_to_english_and_back():
    client = Client()
    response = client.get(reverse("choose_language", args=["en"]), {"next": "/tags/export/"})
    assert response.status_code == 302 and response["Location"] == "/tags/export/"
    page = client.get(reverse("articles:index")).content.decode()
    assert '<html lang="en">' in page
    assert "Latest news" in page and "Most read" in page
    client.get(reverse("choose_language", args=["fr"]))
    assert "À la une" in client.get(reverse("articles:index")).content.decode()


@pytest.mark.django_db
def test_language_switch_never_redirects_off_site():
    response = Client().get(
        reverse("choose_language", args=["en"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_unknown_language_is_not_found():
    assert Client().get(reverse("choose_language", args=["xx"])).status_code == 404
