"""Backups that restore: on SQLite here, through the real commands in other processes (the
CI runs the same drill on PostgreSQL: .ci/restore_drill.sh)."""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(tmp_path, name, *args):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3",
        "MEDIA_ROOT": str(tmp_path / f"media-{name}"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "REDIS_URL": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("drill")
    for args in (("migrate", "--no-input"), ("load_demo",), ("backup", str(tmp_path / "b"))):
        result = manage(tmp_path, "site", *args)
        assert result.returncode == 0, result.stderr
    return tmp_path, next((tmp_path / "b").iterdir())


def test_a_backup_restores_into_an_empty_site_identical(demo_backup):
    tmp_path, folder = demo_backup
    result = manage(tmp_path, "restored", "restore", str(folder))
    assert result.returncode == 0, result.stderr
    assert "every checksum equal" in result.stdout
    assert (tmp_path / "media-restored").exists()


def test_a_damaged_backup_is_caught_at_restore(demo_backup, tmp_path):
    source_tmp, folder = demo_backup
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for name in ("db.sqlite3", "manifest.json"):
        (damaged / name).write_bytes((folder / name).read_bytes())
    with (
        tarfile.open(folder / "media.tar.gz") as source,
        tarfile.open(damaged / "media.tar.gz", "w:gz") as target,
    ):
        skipped = False
        for member in source.getmembers():
            if member.isfile() and not skipped:
                skipped = True  # one image lost
                continue
            target.addfile(member, source.extractfile(member) if member.isfile() else None)
    result = manage(tmp_path, "again", "restore", str(damaged))
    assert result.returncode != 0
    assert "differs from the backup" in result.stderr
