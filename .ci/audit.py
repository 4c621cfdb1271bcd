"""Fail on a known vulnerability in requirements.txt.

pip-audit does the work where it can reach PyPI's per-release JSON API. Where that API is
out of reach (it is on the project's build machines, which only reach PyPI's project
pages), the project pages still list the known vulnerabilities of each project's current
release: every pin that is the current release is checked exactly that way, and the pins
that could not be checked are named.
"""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
PIP_AUDIT = Path(__file__).resolve().parent / ".audit" / "bin" / "pip-audit"


def pins():
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            yield name.strip(), version.strip()


def run_pip_audit():
    result = subprocess.run(
        [
            str(PIP_AUDIT),
            "-r",
            str(REQUIREMENTS),
            "--no-deps",
            "--disable-pip",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout or "{}")
    audited = [d for d in report.get("dependencies", []) if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    return audited, vulnerable


def project_page_check():
    vulnerable, unchecked, checked = [], [], 0
    for name, version in pins():
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:
            project = json.load(response)
        if project["info"]["version"] != version:
            unchecked.append(f"{name} {version} (current release {project['info']['version']})")
            continue
        checked += 1
        for vuln in project.get("vulnerabilities", []):
            if not vuln.get("withdrawn"):
                vulnerable.append(f"{name} {version}: {vuln.get('id')} {vuln.get('summary') or ''}")
    return checked, vulnerable, unchecked


def main():
    audited, vulnerable = run_pip_audit()
    if audited:
        print(f"pip-audit checked {len(audited)} pinned packages.")
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                print(
                    f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {vuln.get('fix_versions')})"
                )
        return 1 if vulnerable else 0
    print("pip-audit could not reach PyPI's per-release API; checking PyPI's project pages.")
    checked, vulnerable, unchecked = project_page_check()
    print(f"{checked} pins checked (each is its project's current release).")
    for line in unchecked:
        print(f"not checked: {line}")
    for line in vulnerable:
        print(f"VULNERABLE {line}")
    if checked == 0:
        print("No vulnerability source could be reached.")
        return 1
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
