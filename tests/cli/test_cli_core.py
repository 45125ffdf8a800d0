"""The core command line: validate, timeline, schema, help and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from designer.cli import main

ROOT = Path(__file__).resolve().parents[2]

CLEAN = """\
format: periop-pathway/1
id: tiny
title: Tiny
settings: [{id: gp, name: GP practice, kind: primary}]
roles: [{id: gp, name: GP}]
steps:
  - {id: start, name: Start, kind: entry, setting: gp, owner: gp}
  - {id: end, name: End, kind: exit, setting: gp, owner: gp, duration_days: 2}
transitions:
  - {from: start, to: end, wait_days: 3}
"""
BROKEN = CLEAN.replace("kind: exit", "kind: task")  # no exit, a dead end


@pytest.fixture
def files(tmp_path):
    clean, broken, bad = tmp_path / "clean.yaml", tmp_path / "broken.yaml", tmp_path / "bad.yaml"
    clean.write_text(CLEAN)
    broken.write_text(BROKEN)
    bad.write_text("format: periop-pathway/1\nid: [oops\n")
    return clean, broken, bad


def test_validate_exit_codes(files, capsys):
    clean, broken, bad = files
    assert main(["validate", str(clean)]) == 0
    assert main(["validate", str(clean), str(broken)]) == 1
    assert main(["validate", str(clean), str(broken), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "line" in err and "Traceback" not in err


def test_validate_json_has_the_documented_shape(files, capsys):
    clean, broken, _ = files
    assert main(["validate", "--json", str(clean), str(broken)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["file"] for f in data["files"]] == [str(clean), str(broken)]
    for entry in data["files"]:
        assert set(entry) >= {"file", "findings", "waived", "summary"}
        assert set(entry["summary"]) == {"error", "warning", "info"}
        for finding in entry["findings"]:
            assert set(finding) == {"rule", "severity", "message", "targets"}
    rules = {f["rule"] for f in data["files"][1]["findings"]}
    assert {"has-exit", "dead-end"} <= rules
    assert data["files"][0]["summary"]["error"] == 0


def test_validate_json_reports_unreadable_files(files, capsys):
    _, _, bad = files
    assert main(["validate", "--json", str(bad)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert "not valid YAML" in data["files"][0]["error"]


def test_timeline_text_and_json(files, capsys):
    clean, _, _ = files
    assert main(["timeline", "--json", str(clean)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data  # the structure is the timeline's own; the numbers are checked there
    assert main(["timeline", str(clean)]) == 0
    assert "End" in capsys.readouterr().out


def test_schema_is_json(capsys):
    assert main(["schema"]) == 0
    assert "periop-pathway/1" in json.loads(capsys.readouterr().out)["title"]


def test_rules_lists_every_rule_id_of_the_design(capsys):
    design_ids = {"unknown-reference", "single-entry", "has-exit", "unreachable-step",
                  "dead-end", "no-route-to-exit", "decision-branches", "step-without-owner",
                  "handoff-missing", "handoff-without-receiver", "handoff-without-information",
                  "handoff-without-channel", "missing-phase", "sdm-before-listing",
                  "discharge-without-follow-up", "discharge-information",
                  "no-optimisation-route", "prehab-window", "education-before-surgery",
                  "long-wait-without-support", "digital-only", "diabetes-referral-dataset",
                  "hba1c-optimisation-route", "day-of-surgery-plan", "diabetes-discharge-gp"}
    assert main(["rules", "--json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert design_ids <= {r["id"] for r in rules}
    assert all(r["source"] and r["title"] for r in rules)
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    assert "core (always on)" in text and "hba1c-optimisation-route" in text
    # real citations from the sources registry: publisher, title and year
    assert "National Institute for Health and Care Excellence (NICE), Perioperative care in " \
           "adults (NG180), 2020" in text
    assert "DOMAIN" not in text


@pytest.mark.parametrize("command", [[], ["validate"], ["timeline"], ["schema"], ["rules"],
                                     ["open"]])
def test_help_everywhere(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_validate_process_never_loads_qt(files):
    clean, _, _ = files
    code = ("import sys; from designer.cli import main; rc = main(['validate', sys.argv[1]]);"
            "bad = [m for m in sys.modules if m.startswith('PySide6')];"
            "print('QT:' + ','.join(bad)); sys.exit(rc)")
    out = subprocess.run([sys.executable, "-c", code, str(clean)], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("QT:")


def test_python_dash_m_designer_runs(files):
    clean, _, _ = files
    out = subprocess.run([sys.executable, "-m", "designer", "validate", str(clean)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr


def test_one_bad_file_never_hides_the_others_results(tmp_path, capsys, monkeypatch):
    """Issue 10: `format: [1]` crashed validate with a traceback, exit 1 and no JSON."""
    data = ROOT / "tests" / "data" / "hostile"
    clean = tmp_path / "clean.yaml"
    clean.write_text(CLEAN)
    batch = [str(clean), str(data / "format_is_a_list.yaml"), str(data / "timestamp_tag.yaml"),
             str(data / "title_nested_600_deep.yaml"), str(clean)]
    assert main(["validate", "--json", *batch]) == 2
    files = json.loads(capsys.readouterr().out)["files"]
    assert [f["file"] for f in files] == batch
    assert "findings" in files[0] and "findings" in files[-1]
    assert all(f["error"].startswith("Cannot open") for f in files[1:4])


def test_a_failure_while_checking_one_file_is_reported_for_that_file(tmp_path, capsys,
                                                                      monkeypatch):
    import designer.graph.validate as validate_module

    real = validate_module.validate

    def validate(pathway):
        if pathway.id == "boom":
            raise RuntimeError("a rule crashed")
        return real(pathway)

    monkeypatch.setattr(validate_module, "validate", validate)
    clean, boom = tmp_path / "clean.yaml", tmp_path / "boom.yaml"
    clean.write_text(CLEAN)
    boom.write_text(CLEAN.replace("id: tiny", "id: boom"))
    assert main(["validate", str(boom), str(clean)]) == 2
    out, err = capsys.readouterr()
    assert "clean.yaml: " in out
    assert "Cannot check" in err and "RuntimeError (a rule crashed)" in err
    assert "Traceback" not in err
