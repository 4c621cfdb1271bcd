import pytest
from django.test import override_settings

from tests.factories import clear_caches, make_article, make_user


@pytest.fixture(scope="session", autouse=True)
def memory_cache():
    """An in-memory cache for the run: a file cache here cost most of the suite's time (1.4
    million file writes). The tests of sharing across processes ask for `file_cache`."""
    backend = "django.core.cache.backends.locmem.LocMemCache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": "tests"}}):
        yield


@pytest.fixture(scope="session", autouse=True)
def jobs_at_once():
    """Background jobs run as they are queued (once the transaction commits): a test sees
    the mail a request queued as a reader would, soon after. tests/test_worker.py runs the
    database backend and its worker."""
    backend = "django_tasks.backends.immediate.ImmediateBackend"
    with override_settings(TASKS={"default": {"BACKEND": backend}}):
        yield


@pytest.fixture
def worker_in_tests(monkeypatch):
    """The job worker run inside a test: it closes stale database connections between jobs,
    as Django does between requests, which would close the test's own (Django's test client
    skips that too)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture
def file_cache(tmp_path):
    """The embedded default's file cache, which every process of the site shares."""
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": tmp_path}}):
        clear_caches()
        yield
        clear_caches()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A "replica" connection to the test database, as a replica's would be: used only by
    the tests that turn the replica router on (tests/test_replica.py)."""
    from django.db import connections

    if "replica" not in connections.settings:
        connections.settings["replica"] = {
            **connections.settings["default"],
            "TEST": {**connections.settings["default"]["TEST"], "MIRROR": "default"},
        }


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hashing a test user's password properly would take most of the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
