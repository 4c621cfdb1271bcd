"""Backups that are proven to restore: the database and the media files, with a manifest
of what they hold (rows and a checksum of every table, a checksum of every file), which
`restore` checks the restored copy against."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

MANIFEST = "manifest.json"


def tables_summary() -> dict:
    """Rows and a checksum of the rows of every table of the database."""
    summary = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            digests = sorted(hashlib.sha256(repr(row).encode()).hexdigest() for row in cursor)
            total = hashlib.sha256("".join(digests).encode()).hexdigest()
            summary[table] = {"rows": len(digests), "checksum": total}
    return summary


def media_summary(root: Path) -> dict:
    """A checksum of every media file, by its path under the media folder."""
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _pg_env(db):
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return env, args


def backup(folder: Path) -> Path:
    """Write the database, the media files and their manifest into a new folder, while the
    site keeps running. On PostgreSQL the dump and the manifest's table checksums read one
    snapshot (exported by this transaction, given to pg_dump), so writes made meanwhile are
    in neither; the media manifest is the archive's own checksums."""
    folder.mkdir(parents=True)
    db = connections["default"].settings_dict
    if connection.vendor == "postgresql":
        env, args = _pg_env(db)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            subprocess.run(
                [
                    "pg_dump",
                    *args,
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(folder / "db.dump"),
                    db["NAME"],
                ],
                env=env,
                check=True,
            )
            tables = tables_summary()
    else:
        # SQLite's online backup copies one consistent state; the manifest reads the copy.
        source = sqlite3.connect(db["NAME"])
        with sqlite3.connect(folder / "db.sqlite3") as target:
            source.backup(target)
        source.close()
        tables = _sqlite_summary(folder / "db.sqlite3")
    manifest = {"tables": tables, "media": _archive_media(folder / "media.tar.gz")}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return folder


def _archive_media(path: Path) -> dict:
    """The media folder into a tar archive, each file read once: its checksum is that of
    the bytes archived, whatever is written to the folder meanwhile."""
    media = Path(settings.MEDIA_ROOT)
    summary = {}
    with tarfile.open(path, "w:gz") as archive:
        if media.exists():
            for file in sorted(media.rglob("*")):
                if not file.is_file():
                    continue
                try:
                    data = file.read_bytes()
                except FileNotFoundError:  # deleted while we walked: not in this backup
                    continue
                name = str(file.relative_to(media))
                info = tarfile.TarInfo(f"media/{name}")
                info.size, info.mtime = len(data), int(file.stat().st_mtime)
                archive.addfile(info, io.BytesIO(data))
                summary[name] = hashlib.sha256(data).hexdigest()
    return summary


def _sqlite_summary(path: Path) -> dict:
    """tables_summary() of a SQLite file (the backup's copy), in the same shape."""
    summary = {}
    # Read as Django reads it (its converters: dates as dates), so restore compares alike.
    with sqlite3.connect(
        path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    ) as copy:
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in sorted(tables):
            rows = copy.execute(f'SELECT * FROM "{table}"')
            digests = sorted(hashlib.sha256(repr(row).encode()).hexdigest() for row in rows)
            total = hashlib.sha256("".join(digests).encode()).hexdigest()
            summary[table] = {"rows": len(digests), "checksum": total}
    return summary


def restore(folder: Path) -> dict:
    """Bring a backup back into the configured (empty) database and media folder, then
    compare what is there with the manifest; return the differences (none: {})."""
    db = connections["default"].settings_dict
    connections.close_all()
    if connection.vendor == "postgresql":
        env, args = _pg_env(db)
        subprocess.run(
            ["pg_restore", *args, "--no-owner", "-d", db["NAME"], str(folder / "db.dump")],
            env=env,
            check=True,
        )
    else:
        shutil.copyfile(folder / "db.sqlite3", db["NAME"])
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media"):
                raise ValueError(f"Unexpected path in the backup: {member.name}")
            target = media.parent / (media.name + member.name[len("media") :])
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())
    expected = json.loads((folder / MANIFEST).read_text())
    found = {"tables": tables_summary(), "media": media_summary(media)}
    return {
        kind: sorted(
            name
            for name in set(expected[kind]) | set(found[kind])
            if expected[kind].get(name) != found[kind].get(name)
        )
        for kind in ("tables", "media")
        if expected[kind] != found[kind]
    }
