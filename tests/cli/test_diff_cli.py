"""``python -m designer diff A B [--json]`` on two pathways with known differences."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from designer.cli import main
from designer.graph.io import save_pathway
from designer.graph.model import Step

from workshop_sample import make_pathway


@pytest.fixture
def two_files(tmp_path):
    a, b = make_pathway(), make_pathway(version="1.1.0")
    b.update_transition("check->optimise", condition="HbA1c >= 64 mmol/mol")
    b.update_step("pac", owner="surgeon")
    b.add_step(Step(id="sdm", name="Shared decision making", setting="hospital",
                    owner="surgeon"))
    pa, pb = tmp_path / "a.yaml", tmp_path / "b.yaml"
    save_pathway(a, pa)
    save_pathway(b, pb)
    return pa, pb


def test_json_lists_the_known_differences(two_files, capsys):
    pa, pb = two_files
    assert main(["diff", str(pa), str(pb), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["identical"] is False
    assert data["a_file"] == str(pa)
    got = {(c["change"], c["area"], c["field"], json.dumps(c["old"]), json.dumps(c["new"]))
           for c in data["changes"]}
    assert got == {
        ("changed", "header", "version", '"1.0.0"', '"1.1.0"'),
        ("changed", "step", "owner", '"Preassessment nurse"', '"Surgeon"'),
        ("added", "step", "", "null", '"Shared decision making"'),
        ("changed", "threshold", "HbA1c ≥ threshold", "69", "64"),
    }


def test_identical_files_exit_zero(two_files, capsys):
    pa, _ = two_files
    assert main(["diff", str(pa), str(pa)]) == 0
    assert "No clinical differences." in capsys.readouterr().out


def test_text_output_reads_as_a_list(two_files, capsys):
    pa, pb = two_files
    assert main(["diff", str(pa), str(pb)]) == 1
    out = capsys.readouterr().out
    assert "  ~ owner: Preassessment nurse -> Surgeon" in out
    assert "  ~ HbA1c ≥ threshold: 69 -> 64" in out


def test_unreadable_file_exits_two_with_a_message(two_files, tmp_path, capsys):
    pa, _ = two_files
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps: [unclosed\n", encoding="utf-8")
    assert main(["diff", str(pa), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Traceback" not in err
    assert main(["diff", str(tmp_path / "missing.yaml"), str(pa)]) == 2


def test_help_documents_exit_codes():
    out = subprocess.run([sys.executable, "-m", "designer", "diff", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "0  the pathways are clinically identical" in out
    assert "2  a file could not be read" in out
