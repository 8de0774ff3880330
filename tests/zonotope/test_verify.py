"""The claim registry and runner behind ``zonotope verify``."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from zonotope import verify
from zonotope.cli import main
from zonotope.exceptions import ValidationError
from zonotope.verify import CheckOutcome, register_check, registered_checks, run_checks, unregister_check


@pytest.fixture
def scratch_checks():
    """Register throw-away checks in the group ``scratch``; removed afterwards."""
    names = []

    def add(name, func, groups=("scratch",)):
        register_check(name, paper="test", section="-", claim=f"{name} claim", groups=groups)(func)
        names.append(name)

    yield add
    for n in names:
        unregister_check(n)


def test_geometry_and_plugin_checks_are_registered():
    names = {c.name for c in registered_checks()}
    assert {"counts", "zonotope-duality", "edges", "products", "general-position",
            "perturbation-radius"} <= names
    # the ReLU layer's checks arrive through the entry-point group, not by import
    assert {"thm4.1", "thm4.2", "thm4.3", "reduction", "reduction-perturbation",
            "discontinuity-affine", "discontinuity-new-vertex"} <= names
    for c in registered_checks():
        assert c.paper and c.section and c.claim and callable(c.func)


def test_selection_by_name_group_and_all(scratch_checks):
    seen = []

    def ok(quick, rng):
        seen.append((quick, isinstance(rng, np.random.Generator)))
        return CheckOutcome(2, 0.0, 0.0, True, {"x": np.int64(3)})

    scratch_checks("scratch-a", ok)
    scratch_checks("scratch-b", ok, groups=("scratch", "other"))
    assert [r.name for r in run_checks("scratch-a")] == ["scratch-a"]
    assert [r.name for r in run_checks(("scratch",), quick=True)] == ["scratch-a", "scratch-b"]
    assert [r.name for r in run_checks(("other", "scratch-b"))] == ["scratch-b"]   # no duplicates
    assert seen[-1] == (False, True) and (True, True) in seen
    r = run_checks("scratch-a")[0]
    assert (r.instances, r.passed, r.error, r.section, r.groups) == (2, True, None, "-", ("scratch",))
    assert r.to_dict()["details"] == {"x": 3}
    with pytest.raises(ValidationError, match="`selection` of `run_checks`.*'nonsense'"):
        run_checks(["nonsense"])
    with pytest.raises(ValidationError, match="`rng` of `run_checks`"):
        run_checks("scratch-a", rng=-1)


def test_rng_depends_on_seed_and_name_only(scratch_checks):
    draws = {}

    def record(name):
        def f(quick, rng):
            draws.setdefault(name, []).append(float(rng.random()))
            return CheckOutcome(1, 0.0, 0.0, True)
        return f

    scratch_checks("scratch-r1", record("r1"))
    scratch_checks("scratch-r2", record("r2"))
    run_checks(("scratch-r1",), rng=5)
    run_checks(("scratch",), rng=5)
    run_checks(("scratch-r1",), rng=6)
    assert draws["r1"][0] == draws["r1"][1] != draws["r1"][2]
    assert draws["r1"][0] != draws["r2"][0]


def test_failures_and_crashes_are_reported(scratch_checks):
    scratch_checks("scratch-fail", lambda q, r: CheckOutcome(3, 0.5, 0.1, False))
    scratch_checks("scratch-crash", lambda q, r: 1 / 0)
    scratch_checks("scratch-wrong-type", lambda q, r: 42)
    res = {r.name: r for r in run_checks("scratch")}
    assert not res["scratch-fail"].passed and res["scratch-fail"].error is None
    assert not res["scratch-crash"].passed and "ZeroDivisionError" in res["scratch-crash"].error
    assert not res["scratch-wrong-type"].passed and "CheckOutcome" in res["scratch-wrong-type"].error
    text = verify.format_results(list(res.values()))
    assert "FAIL  scratch-fail" in text and "0 passed, 3 failed" in text


def test_register_check_validates(scratch_checks):
    scratch_checks("scratch-dup", lambda q, r: CheckOutcome(1, 0.0, 0.0, True))
    with pytest.raises(ValidationError, match="`name` of `register_check` must be unique"):
        register_check("scratch-dup", paper="p", section="s", claim="c")(lambda q, r: None)
    with pytest.raises(ValidationError, match="`name` of `register_check`"):
        register_check("all", paper="p", section="s", claim="c")
    with pytest.raises(ValidationError, match="`groups` of `register_check`"):
        register_check("x", paper="p", section="s", claim="c", groups=("",))


def test_cli_exit_codes_and_json(tmp_path, capsys, scratch_checks):
    scratch_checks("scratch-bad", lambda q, r: CheckOutcome(1, 1.0, 0.0, False))
    out = tmp_path / "report.json"
    assert main(["verify", "general-position", "products", "--quick", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "PASS  general-position" in text and "PASS  products" in text and "2 passed, 0 failed" in text
    doc = json.loads(out.read_text())
    assert doc["passed"] is True and doc["quick"] is True
    assert [c["name"] for c in doc["checks"]] == ["general-position", "products"]
    assert {"instances", "worst_deviation", "tolerance", "paper", "section", "claim", "seconds"} <= \
        set(doc["checks"][0])
    assert main(["verify", "scratch-bad"]) == 1
    assert "FAIL  scratch-bad" in capsys.readouterr().out
    assert main(["verify", "no-such-check"]) == 2                  # a typed error, not a crash
    assert "no-such-check" in capsys.readouterr().err


def test_the_geometry_layer_does_not_import_relu():
    code = "import sys, zonotope.verify; print('relu' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.stdout.strip() == "False", res.stderr


def test_quick_run_of_every_check_passes(capsys):
    """``zonotope verify all --quick``: every claim, small instances (under a minute)."""
    assert main(["verify", "all", "--quick"]) == 0, capsys.readouterr().out
    text = capsys.readouterr().out
    assert "0 failed" in text and "FAIL" not in text
