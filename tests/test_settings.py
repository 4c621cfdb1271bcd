import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH"


def manage_check(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL"):
        clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "news.example"}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "news.example"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_mode_refuses_to_start_without_secret_and_hosts(env, message):
    result = manage_check(DJANGO_DEBUG="0", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_the_deployment_check():
    result = manage_check(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="news.example"
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_s3_bucket_setting_puts_images_and_renditions_in_the_bucket():
    probe = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage as storage;"
        "storage._setup();"
        "print(type(storage._wrapped).__name__, storage.bucket_name, storage.location)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "S3_BUCKET": "images"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "images", "media"]


def test_gunicorn_start_up_hook_loads_every_template_and_freezes_them():
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    before = gc.get_freeze_count()
    try:
        config["when_ready"](None)  # raises if a template does not compile
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
