import pytest

from tests.factories import clear_caches, make_article, make_user


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
def moderator(db):
    return make_user("moderatrice", group="Moderators", email="moderatrice@newsroom.example")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and counters start from zero in every test."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def article(db):
    return make_article()
