"""`periop simulate`: the DESIGN section 7 command line, its JSON and its refusals."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from designer.cli import main

ROOT = Path(__file__).resolve().parents[2]

BASE = """\
format: periop-pathway/1
id: flow-cli
title: Flow command line
settings: [{id: hospital, name: Hospital, kind: secondary}]
roles: []
steps:
  - {id: referral, name: Referral, kind: entry, duration_days: 1}
  - {id: clinic, name: Clinic, duration: {dist: lognormal, mean: 1, sd: 0.5}}
  - {id: assess, name: Assessment, duration_days: 2}
  - {id: fit, name: Fit for surgery?, kind: decision}
  - {id: optimise, name: Optimisation, duration_days: 30}
  - {id: surgery, name: Surgery, activity: surgery, duration_days: 1, uses: [theatre],
     costs: [{cost: episode, per: visit}]}
  - {id: ward, name: Ward, activity: inpatient-recovery, duration_days: 4,
     costs: [{cost: bed-day, per: day}]}
  - {id: home, name: Home, kind: exit}
transitions:
  - {from: referral, to: clinic}
  - {from: clinic, to: assess}
  - {from: assess, to: fit}
  - {from: fit, to: surgery, probability: 0.8}
  - {from: fit, to: optimise, probability: 0.2}
  - {from: optimise, to: surgery}
  - {from: surgery, to: ward}
  - {from: ward, to: home}
flow: {arrivals: {per_week: 5}, horizon_weeks: 52, warmup_weeks: 8, replications: 4, seed: 3}
resources: [{id: theatre, name: Theatre lists, capacity: 2}]
costs:
  - {id: episode, name: Elective inpatient episode, amount: 3684, year: 2016/17, source: reference costs}
  - {id: bed-day, name: Excess bed day, amount: 313, year: 2016/17, source: reference costs}
scenarios:
  - {id: before, name: Before, changes: [{step: ward, duration_days: 7}]}
  - {id: after, name: After, changes: []}
"""


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "flow.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_has_the_design_shape(tmp_path, capsys):
    path = _write(tmp_path, BASE)
    code = main(["simulate", str(path), "--scenario", "before", "--scenario", "after",
                 "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "4/4" in err or "8/8" in err          # progress on stderr
    data = json.loads(out)
    assert {"file", "replications", "horizon_weeks", "warmup_weeks", "seed", "scenarios",
            "comparisons"} <= set(data)
    assert data["replications"] == 4 and data["seed"] == 3
    scenario = data["scenarios"][0]
    assert [s["id"] for s in data["scenarios"]] == ["before", "after"]
    for key in ("patients_completed_per_year", "rtt_weeks_median", "rtt_weeks_p90",
                "rtt_within_18_weeks", "waiting_list_end", "cancellations_on_the_day_per_year",
                "bed_days_per_year", "cost_per_year", "cost_per_patient"):
        value = scenario["metrics"][key]
        assert set(value) == {"mean", "ci95"} and len(value["ci95"]) == 2
    assert {"wait_days_mean", "visits_per_year"} <= set(scenario["steps"]["surgery"])
    assert set(scenario["resources"]["theatre"]) == {"utilisation", "wait_days_mean"}
    comparison = data["comparisons"][0]
    assert (comparison["from"], comparison["to"]) == ("before", "after")
    beds = comparison["metrics"]["bed_days_per_year"]
    assert beds["ci95"][1] < 0          # after minus before: 3 days shorter
    ward = comparison["metrics"]["cost_per_year"]["mean"]
    assert ward == pytest.approx(beds["mean"] * 313, rel=1e-9)


def test_no_scenarios_runs_the_baseline_and_writes_csv(tmp_path, capsys):
    text = BASE[:BASE.index("scenarios:")]
    path = _write(tmp_path, text)
    code = main(["simulate", str(path), "--replications", "2", "--weeks", "10",
                 "--csv", str(tmp_path / "out"), "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert [s["id"] for s in data["scenarios"]] == ["baseline"] and not data["comparisons"]
    assert data["horizon_weeks"] == 10
    rows = list(csv.DictReader(open(tmp_path / "out" / "replications.csv")))
    assert [r["replication"] for r in rows] == ["0", "1"]
    assert "metrics.cost_per_year" in rows[0]
    # the incomplete-pathway measure of the 92% standard, beside the existing fields
    metrics = data["scenarios"][0]["metrics"]
    assert {"rtt_within_18_weeks", "rtt_incomplete_under_18_weeks"} <= set(metrics)
    series = data["scenarios"][0]["series"]
    assert len(series["rtt_incomplete_under_18_weeks"]) == len(series["waiting_list"]) == 11
    assert "metrics.rtt_incomplete_under_18_weeks" in rows[0]
    weekly = list(csv.DictReader(open(tmp_path / "out" / "waiting_list.csv")))
    assert {"waiting_list", "waiting_over_18_weeks"} <= set(weekly[0])


BAD = [
    ("probability: 0.2}", "probability: 0.1}",
     "transitions[3].probability: the branches of 'Fit for surgery?' sum to 0.9"),
    ("uses: [theatre]", "uses: [theatres]",
     "steps[5].uses[0]: 'Surgery' uses 'theatres', which is not a resource "
     "(did you mean 'theatre'?)"),
    ("{id: assess, name: Assessment, duration_days: 2}", "{id: assess, name: Assessment}",
     "steps[2].duration_days: 'Assessment' has no duration"),
    ("  - {from: optimise, to: surgery}\n",
     "  - {from: optimise, to: fit}\n",
     None),   # a loop, but patients leave it: allowed
    (["probability: 0.8}", "probability: 0.2}", "{from: optimise, to: surgery}"],
     ["probability: 0}", "probability: 1}", "{from: optimise, to: fit}"],
     "transitions[3].probability: patients who reach 'Fit for surgery?' go round a loop "
     "for ever"),
    ("capacity: 2}", "capacity: -2}", "resources[0].capacity"),
    ("sd: 0.5}", "sd: -0.5}", "steps[1].duration.sd"),
    ("sd: 0.5}", "sd: .nan}", "steps[1].duration.sd"),
    ("flow: {arrivals: {per_week: 5}, ", "flow: {", "flow.arrivals: the simulation needs "
                                                    "arrivals"),
    ("{cost: episode, per: visit}", "{cost: episodes, per: visit}",
     "steps[5].costs[0].cost"),
    ("changes: [{step: ward, duration_days: 7}]", "changes: [{step: wards, duration_days: 7}]",
     "scenarios[0].changes[0].step: there is no step 'wards' (did you mean 'ward'?)"),
]


@pytest.mark.parametrize("old,new,message", BAD)
def test_bad_inputs_give_one_message_and_exit_2(tmp_path, capsys, old, new, message):
    text = BASE
    for a, b in zip(*((old, new) if isinstance(old, list) else ([old], [new]))):
        assert a in text
        text = text.replace(a, b, 1)
    path = _write(tmp_path, text)
    code = main(["simulate", str(path), "--replications", "2", "--weeks", "4"])
    out, err = capsys.readouterr()
    if message is None:
        assert code == 0
        return
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert message in lines[0]
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("args,message", [
    (["--scenario", "during"], "--scenario: there is no scenario 'during'"),
    (["--replications", "0"], "give at least 1"),
    (["--replications", "2.5"], "'2.5' is not a whole number"),
    (["--seed", "x"], "'x' is not a whole number"),
    (["--seed", "-1"], "the seed must be 0 or more, not -1"),
    (["--weeks", "-3"], "number of weeks"),
])
def test_bad_options_exit_2(tmp_path, capsys, args, message):
    path = _write(tmp_path, BASE)
    with pytest.raises(SystemExit) as info:
        code = main(["simulate", str(path), *args])
        raise SystemExit(code)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_unreadable_file_exit_2(tmp_path, capsys):
    assert main(["simulate", str(tmp_path / "missing.yaml")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_unstable_run_says_so(tmp_path, capsys):
    path = _write(tmp_path, BASE.replace("capacity: 2}", "capacity: 1}")
                  .replace("per_week: 5}", "per_week: 9}"))
    assert main(["simulate", str(path), "--scenario", "after", "--weeks", "8"]) == 0
    err = capsys.readouterr().err
    assert "unstable: waiting list grows without bound at 'Theatre lists'" in err


def test_eras_plus_on_the_command_line_in_two_processes():
    """The issue's acceptance command, shortened (the full run is in test_theory.py)."""
    proc = subprocess.run(
        [sys.executable, "-m", "designer", "simulate", "pathway_library/eras-plus-colorectal.yaml",
         "--scenario", "before", "--scenario", "after", "--json", "--workers", "2",
         "--replications", "6", "--weeks", "52"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    cost = data["comparisons"][0]["metrics"]["cost_per_year"]
    lo, hi = cost["ci95"]
    assert lo <= -469_500 <= hi
    assert data["currency"] == "GBP" and data["cost_year"] == "2016/17"


def test_text_table_shows_money_with_currency_and_year(tmp_path, capsys):
    path = _write(tmp_path, BASE)
    assert main(["simulate", str(path), "--replications", "3", "--weeks", "8"]) == 0
    out = capsys.readouterr().out
    assert "3 replications of 8 weeks after 8 weeks of warm-up; seed 3" in out
    assert "Difference: after minus before" in out
    money = [line for line in out.splitlines() if line.strip().startswith("cost per")]
    assert money and all(line.endswith("GBP (2016/17 prices)") for line in money)
