"""The Windows installer workflow cannot run here; keep it consistent with the repository.

It must parse, run on windows-latest, build from the spec file in the repository, run
the smoke test, build both MSIs from the WiX source, and sign only through sign.ps1
(which skips when no certificate is set). Every file it names must exist.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"
WIX = "{http://wixtoolset.org/schemas/v4/wxs}"


def _steps() -> list[dict]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = doc["jobs"].values()
    assert job["runs-on"] == "windows-latest"
    return job["steps"]


def _scripts() -> str:
    return "\n".join(step.get("run", "") for step in _steps())


def test_every_repository_file_the_workflow_names_exists():
    named = set(re.findall(r"packaging/[\w./-]+\.(?:spec|py|wxs|ps1)", _scripts()))
    assert {"packaging/periop.spec", "packaging/smoke.py", "packaging/windows/periop.wxs",
            "packaging/windows/sign.ps1"} <= named
    for path in named:
        assert (ROOT / path).is_file(), path


def test_it_builds_smoke_tests_and_makes_both_msis():
    scripts = _scripts()
    build = scripts.index("pyinstaller")
    smoke = scripts.index("packaging/smoke.py dist/periop")
    wix = scripts.index("wix build")
    assert build < smoke < wix
    assert "Scope=perMachine" in scripts and "Scope=perUserOrMachine" in scripts
    assert '".[dist]"' in scripts


def test_signing_goes_through_the_script_that_skips_without_a_certificate():
    scripts = _scripts()
    assert "signtool" not in scripts         # only sign.ps1 calls it
    sign = (ROOT / "packaging" / "windows" / "sign.ps1").read_text(encoding="utf-8")
    skip = sign.index("if (-not $env:WINDOWS_SIGNING_CERT)")
    assert skip < sign.index("signtool.exe") and "exit 0" in sign[skip:sign.index("signtool.exe")]


def test_the_wix_source_installs_the_bundle_and_a_shortcut_to_the_windowless_program():
    text = (ROOT / "packaging" / "windows" / "periop.wxs").read_text(encoding="utf-8")
    root = ElementTree.fromstring(text.encode("utf-8"))
    package = root.find(f"{WIX}Package")
    assert package.get("Scope") == "$(var.Scope)"
    assert package.find(f".//{WIX}Files").get("Include") == r"!(bindpath.Bundle)\**"
    assert _scripts().count('-bindpath "Bundle=$bundle"') == 2   # an absolute path, both MSIs
    shortcut = package.find(f".//{WIX}Shortcut")
    assert shortcut.get("Target").endswith("periop-designer.exe")
    codes = re.findall(r'UpgradeCode = "([0-9a-f-]{36})"', text)
    assert len(codes) == 2 and codes[0] != codes[1]   # per machine and per user upgrade apart
