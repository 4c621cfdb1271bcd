"""The documents say what is there: every picture the handbook shows exists (the browser
tests take them: ./dev handbook), none lies unused, and every file the architecture page
names is in the tree."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_handbooks_pictures_are_all_there_and_all_shown():
    handbook = (ROOT / "docs" / "handbook.md").read_text()
    shown = set(re.findall(r"\]\((images/handbook/[^)]+)\)", handbook))
    on_disk = {f"images/handbook/{p.name}" for p in (ROOT / "docs/images/handbook").iterdir()}
    assert shown and shown == on_disk


def test_every_file_the_architecture_page_names_exists():
    page = (ROOT / "docs" / "architecture.md").read_text()
    named = set(
        re.findall(r"`((?:newsroom|articles|comments|letters|dashboard)/[\w/]+\.py)`", page)
    )
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert named and not missing, missing
