import pytest

from tests.factories import make_article, make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def journalist(db):
    return make_user("journaliste", group="Journalists")


@pytest.fixture
def editor(db):
    return make_user("editeur", group="Editors")


@pytest.fixture
def article(db):
    return make_article()
