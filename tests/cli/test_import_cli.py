"""``periop import FILE -o OUT.yaml``: writes the pathway and its report, or refuses cleanly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from designer.cli import main
from designer.export.interop.bpmn import export_bpmn
from designer.export.interop.fhir import export_fhir
from designer.graph.io import load_pathway

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
EXEMPLARS = sorted((ROOT / "pathway_library").glob("*.yaml"))


def test_bpmn_import_writes_pathway_and_report(tmp_path, capsys):
    out = tmp_path / "clinic.yaml"
    assert main(["import", str(DATA / "import" / "clinic.bpmn"), "-o", str(out)]) == 0
    pathway = load_pathway(out)                       # it loads
    assert len(pathway.steps) == 11
    report = (tmp_path / "clinic.import-report.md").read_text(encoding="utf-8")
    assert "parallelGateway (bypassed)" in report and "step-without-owner" in report
    said = capsys.readouterr().out
    assert "11 steps" in said and "clinic.import-report.md" in said


def test_fhir_import_and_format_from_content(tmp_path):
    source = tmp_path / "plan.txt"                    # no telling suffix: sniffed
    shutil.copy(DATA / "import" / "plan-bundle.json", source)
    out = tmp_path / "plan.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert load_pathway(out).title.startswith("Hip replacement")


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_round_trip_through_files_and_periop_diff(path, tmp_path):
    """export -> import -> `periop diff ORIGINAL IMPORTED` finds no clinical difference."""
    original = load_pathway(path)
    for suffix, export in ((".bpmn", export_bpmn), (".json", export_fhir)):
        exported = tmp_path / f"{path.stem}{suffix}"
        export(original, exported)
        imported = tmp_path / f"{path.stem}{suffix}.yaml"
        assert main(["import", str(exported), "-o", str(imported)]) == 0
        assert main(["diff", str(path), str(imported)]) == 0, suffix


def test_refuses_to_overwrite_the_input(tmp_path, capsys):
    source = tmp_path / "p.bpmn"
    shutil.copy(DATA / "import" / "placed.bpmn", source)
    before = source.read_bytes()
    assert main(["import", str(source), "-o", str(source)]) == 2
    assert "overwrite the input" in capsys.readouterr().err
    assert source.read_bytes() == before and sorted(tmp_path.iterdir()) == [source]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</definitions>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">
<task id="t" name="&x;"/></process></definitions>"""
NO_PROCESS = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
              '<collaboration id="c"/></definitions>')


def huge() -> str:
    tasks = "".join(f'<task id="t{i}"/>' for i in range(10_000))
    return ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
            f'<process id="p">{tasks}</process></definitions>')


@pytest.mark.parametrize("name, content, words", [
    ("broken.bpmn", "<definitions><process>", "not well-formed XML"),
    ("laughs.bpmn", BILLION_LAUGHS, "XML bomb"),
    ("external.bpmn", EXTERNAL, "entities"),
    ("empty.bpmn", NO_PROCESS, "no process"),
    ("huge.bpmn", huge(), "more than 5,000"),
    ("latin.bpmn", "<definitions>caf\u00e9</definitions>".encode("latin-1"), "not UTF-8"),
    ("patient.json", json.dumps({"resourceType": "Patient", "id": "x"}), "FHIR Patient"),
    ("bundle.json", json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Observation"}}]}), "without a PlanDefinition"),
    ("broken.json", "{", "not valid JSON"),
    ("notes.txt", "just some words", "neither BPMN"),
    ("missing.bpmn", None, "no such file"),
])
def test_bad_input_one_message_exit_2_nothing_written(tmp_path, capsys, name, content,
                                                      words):
    source = tmp_path / name
    if isinstance(content, str):
        source.write_text(content, encoding="utf-8")
    elif content is not None:
        source.write_bytes(content)
    before = sorted(tmp_path.iterdir())
    assert main(["import", str(source), "-o", str(tmp_path / "out.yaml")]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert words in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert sorted(tmp_path.iterdir()) == before          # nothing written


def test_as_a_real_command_no_traceback(tmp_path):
    source = tmp_path / "laughs.bpmn"
    source.write_text(BILLION_LAUGHS, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "designer", "import", str(source), "-o",
                           str(tmp_path / "x.yaml")], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Cannot import")


def test_sub_processes_as_linked_sub_pathways(tmp_path, capsys):
    out = tmp_path / "clinic.yaml"
    source = DATA / "import" / "clinic.bpmn"
    assert main(["import", str(source), "-o", str(out), "--sub-pathways"]) == 0
    sub_file = tmp_path / "clinic.pre-op-education.yaml"
    sub = load_pathway(sub_file)
    assert [s.name for s in sub.steps] == ["Start", "Watch video", "End"]
    assert (tmp_path / "clinic.pre-op-education.import-report.md").exists()
    parent = load_pathway(out)
    assert "clinic.pre-op-education.yaml" in parent.step("pre-op-education").description
    report = (tmp_path / "clinic.import-report.md").read_text(encoding="utf-8")
    assert "inside a sub-process" not in report        # carried by the sub-pathway
    assert "Sub-pathway:" in capsys.readouterr().out
