"""Long exact-ERM jobs: nothing lost, nothing trusted blindly (issue 10, section 5).

* checkpoint files: an edited, emptied, truncated or malformed file is refused with a
  typed error naming it; a forged seal is caught by re-solving the best vertex;
* a checkpoint in a missing directory, a lock against a second run, the chunking is
  independent of the number of workers;
* ``zonotope fit --checkpoint`` killed with SIGKILL, SIGINT and SIGTERM and resumed
  gives the uninterrupted answer; worker processes die with their parent; a full
  disk (RLIMIT_FSIZE) gives one clear error, no temporary file, and resuming works.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import relu
from zonotope.exceptions import (
    CheckpointError,
    CheckpointLockedError,
    DamagedFileError,
    ValidationError,
)

V3 = [1.0, -1.0, 1.0, 0.0]


def _instance():
    rng = np.random.default_rng(9)
    return rng.standard_normal((7, 1)), rng.standard_normal(7)


def _reseal(path, content):
    """Write ``content`` with a *valid* seal (what a careful forger would do)."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    sealed = {"sha256": hashlib.sha256(body).hexdigest(), "content": content}
    Path(path).write_text(json.dumps(sealed, sort_keys=True))


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    """A checkpoint of a run stopped after 40 solves, its bytes, and the full answer."""
    X, y = _instance()
    full = relu.exact_erm(X, y, 3, V3, progress=False, chunk_size=16)
    ck = tmp_path_factory.mktemp("partial") / "erm.json"
    part = relu.exact_erm(X, y, 3, V3, progress=False, chunk_size=16, checkpoint=ck,
                          max_solves=40)
    assert not part.complete
    return ck.read_bytes(), full


def _copy(partial, tmp_path):
    ck = tmp_path / "erm.json"
    ck.write_bytes(partial[0])
    return ck


def _resume(ck, **kw):
    X, y = _instance()
    return relu.exact_erm(X, y, 3, V3, progress=False, chunk_size=16, checkpoint=ck, **kw)


# ------------------------------------------------------------------ edited or odd files
def test_a_valid_checkpoint_resumes_to_the_full_answer(partial, tmp_path):
    ck = _copy(partial, tmp_path)
    r = _resume(ck)
    full = partial[1]
    assert r.complete and r.info["resumed_chunks"] > 0
    assert r.info["best_index"] == full.info["best_index"]
    assert r.loss == pytest.approx(full.loss, rel=1e-12, abs=1e-15)
    assert np.allclose(r.W, full.W, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("edit", ["best", "done"])
def test_an_edited_checkpoint_is_refused_naming_the_file(partial, tmp_path, edit):
    ck = _copy(partial, tmp_path)
    sealed = json.loads(ck.read_text())
    if edit == "best":
        sealed["content"]["best"]["objective"] *= 0.5
    else:
        sealed["content"]["done"] = [[0, sealed["content"]["n_chunks"]]]
    ck.write_text(json.dumps(sealed))
    with pytest.raises(DamagedFileError, match=re.escape(str(ck)) + ".*modified or damaged"):
        _resume(ck)


def test_a_forged_seal_is_caught_by_re_solving_the_best_vertex(partial, tmp_path):
    ck = _copy(partial, tmp_path)
    content = json.loads(ck.read_text())["content"]
    content["best"]["objective"] = content["best"]["loss"] = 0.5 * partial[1].loss  # too good
    _reseal(ck, content)
    with pytest.raises(DamagedFileError, match=re.escape(str(ck)) + ".*solving that vertex again"):
        _resume(ck)


def test_a_forged_done_list_cannot_claim_more_chunks_than_exist(partial, tmp_path):
    ck = _copy(partial, tmp_path)
    content = json.loads(ck.read_text())["content"]
    content["done"] = [[0, content["n_chunks"] + 5]]
    _reseal(ck, content)
    with pytest.raises(DamagedFileError, match="malformed list of finished chunks"):
        _resume(ck)


@pytest.mark.parametrize("text,message", [
    ("", "not valid JSON"),
    ("{\"done\": [1, 2", "not valid JSON"),
    ("[1, 2, 3]", "not an exact-ERM checkpoint .*choose another file name"),
    ("0.5, 1.0, 2.0\n1.5, 2.0, 1.0\n", "not an exact-ERM checkpoint .*choose another file name"),
    ("{\"done\": [], \"best\": null}", "not a checkpoint written by this toolkit"),
])
def test_odd_files_give_typed_errors(tmp_path, text, message):
    ck = tmp_path / "erm.json"
    ck.write_text(text)
    with pytest.raises(DamagedFileError, match=re.escape(str(ck)) + ".*" + message):
        _resume(ck)


@pytest.mark.parametrize("drop", ["best", "done", "fingerprint"])
def test_missing_keys_give_typed_errors(partial, tmp_path, drop):
    ck = _copy(partial, tmp_path)
    content = json.loads(ck.read_text())["content"]
    del content[drop]
    _reseal(ck, content)
    with pytest.raises(DamagedFileError, match=f"lacks the entries \\['{drop}'\\]"):
        _resume(ck)


def test_a_malformed_best_vertex_gives_a_typed_error(partial, tmp_path):
    ck = _copy(partial, tmp_path)
    content = json.loads(ck.read_text())["content"]
    content["best"]["index"] = -3
    _reseal(ck, content)
    with pytest.raises(DamagedFileError, match="malformed best vertex"):
        _resume(ck)


def test_a_checkpoint_of_another_run_is_refused(partial, tmp_path):
    ck = _copy(partial, tmp_path)
    X, y = _instance()
    with pytest.raises(ValidationError, match="`checkpoint` of `exact_erm` must belong to this run"):
        relu.exact_erm(X, y + 1.0, 3, V3, progress=False, chunk_size=16, checkpoint=ck)


def test_checkpoint_in_a_missing_directory_or_on_a_directory(tmp_path):
    X, y = _instance()
    with pytest.raises(ValidationError, match="`checkpoint` of `exact_erm` must be a file in an "
                       "existing directory"):
        relu.exact_erm(X, y, 1, checkpoint=tmp_path / "missing" / "erm.json", progress=False)
    with pytest.raises(ValidationError, match="not a directory"):
        relu.exact_erm(X, y, 1, checkpoint=tmp_path, progress=False)


def test_stale_temporaries_of_this_checkpoint_are_removed(tmp_path):
    X, y = _instance()
    (tmp_path / ".tmp-erm.json.k2j3").write_bytes(b"partial write")
    (tmp_path / ".tmp-other.json.k2j3").write_bytes(b"someone else's")
    relu.exact_erm(X, y, 1, checkpoint=tmp_path / "erm.json", progress=False)
    assert not (tmp_path / ".tmp-erm.json.k2j3").exists()
    assert (tmp_path / ".tmp-other.json.k2j3").exists()


def test_two_runs_on_one_checkpoint_do_not_both_work(tmp_path):
    X, y = _instance()
    ck = tmp_path / "erm.json"
    seen = []

    def second_run(state):
        if not seen:
            with pytest.raises(CheckpointLockedError, match=f"PID {os.getpid()}") as info:
                relu.exact_erm(X, y, 3, V3, progress=False, chunk_size=16, checkpoint=ck)
            assert f"working on {str(ck)!r}" in str(info.value)     # the file, not its directory
        seen.append(state["done"])

    r = relu.exact_erm(X, y, 3, V3, progress=False, chunk_size=16, checkpoint=ck,
                       callback=second_run)
    assert r.complete and seen
    again = relu.exact_erm(X, y, 3, V3, progress=False, chunk_size=16, checkpoint=ck)
    assert again.info["resumed_chunks"] == again.info["n_chunks"]   # the lock was released


def test_chunking_does_not_depend_on_workers(tmp_path):
    X, y = _instance()
    serial = relu.exact_erm(X, y, 3, V3, progress=False)
    ck = tmp_path / "erm.json"
    part = relu.exact_erm(X, y, 3, V3, progress=False, workers=2, checkpoint=ck, max_solves=30)
    assert part.info["chunk_size"] == serial.info["chunk_size"]
    assert not part.complete
    rest = relu.exact_erm(X, y, 3, V3, progress=False, checkpoint=ck)        # no workers now
    assert rest.complete and 0 < rest.info["resumed_chunks"] < rest.info["n_chunks"]
    assert rest.info["best_index"] == serial.info["best_index"]
    assert rest.loss == pytest.approx(serial.loss, rel=1e-12, abs=1e-15)


def test_a_dead_worker_is_a_typed_error_and_the_run_resumes(tmp_path):
    import multiprocessing

    X, y = _instance()
    serial = relu.exact_erm(X, y, 3, V3, progress=False)
    ck = tmp_path / "erm.json"
    killed = []

    def kill_a_worker(state):
        if not killed:
            victim = multiprocessing.active_children()[0]
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)

    with pytest.raises(relu.WorkerError, match="rerun to resume"):
        relu.exact_erm(X, y, 3, V3, progress=False, workers=2, checkpoint=ck,
                       checkpoint_every=0, callback=kill_a_worker)
    assert killed and _done_chunks(ck) >= 1
    rest = relu.exact_erm(X, y, 3, V3, progress=False, checkpoint=ck)
    assert rest.complete and rest.info["resumed_chunks"] >= 1
    assert rest.info["best_index"] == serial.info["best_index"]


def test_the_confirming_solve_makes_the_answer_independent_of_the_executor():
    X, y = _instance()
    a = relu.exact_erm(X, y, 3, V3, progress=False)
    b = relu.exact_erm(X, y, 3, V3, progress=False, workers=2)
    assert a.info["best_index"] == b.info["best_index"]
    assert np.array_equal(a.W, b.W) and a.loss == b.loss


# ------------------------------------------------------------------ the command line, killed
DATA_SEED, DATA_N = 0, 8


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    """A data file whose exact fit takes a few seconds, and its uninterrupted output."""
    d = tmp_path_factory.mktemp("job")
    rng = np.random.default_rng(DATA_SEED)
    X, y = rng.standard_normal((DATA_N, 2)), rng.standard_normal(DATA_N)
    f = d / "data.csv"
    f.write_text("".join(",".join(repr(float(t)) for t in row) + "\n" for row in np.c_[X, y]))
    rc, out, err = _cli(f, "--n-units", "2")
    assert rc == 0, err
    return f, _answer(out)


def _cli(*argv, timeout=600, **kw):
    res = subprocess.run([sys.executable, "-m", "zonotope.cli", "fit", *map(str, argv)],
                         capture_output=True, text=True, timeout=timeout, **kw)
    return res.returncode, res.stdout, res.stderr


def _answer(out):
    """The loss and the weights from the printed result (not the timing or counts)."""
    lines = out.splitlines()
    loss = re.match(r"exact: mean mse loss (\S+)", lines[0]).group(1)
    return loss, [ln for ln in lines[1:] if ln.startswith(("  unit", "output bias"))]


def _done_chunks(ck):
    try:
        content = json.loads(ck.read_text())["content"]
    except (OSError, ValueError, KeyError):
        return 0
    return sum(b - a for a, b in content["done"])


def _start(f, ck, *extra):
    return subprocess.Popen([sys.executable, "-m", "zonotope.cli", "fit", str(f), "--n-units",
                             "2", "--checkpoint", str(ck), "--checkpoint-every", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_progress(proc, ck, timeout=300):
    t = time.monotonic()
    while _done_chunks(ck) < 1:
        if proc.poll() is not None:
            pytest.fail(f"the job ended before it could be interrupted: {proc.communicate()}")
        if time.monotonic() - t > timeout:
            proc.kill()
            pytest.fail("no progress was checkpointed")
        time.sleep(0.02)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM],
                         ids=["SIGKILL", "SIGINT", "SIGTERM"])
def test_killed_fit_resumes_to_the_uninterrupted_answer(job, tmp_path, sig):
    f, expected = job
    ck = tmp_path / "fit.json"
    proc = _start(f, ck)
    _wait_for_progress(proc, ck)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 130, err
        assert "interrupted" in err and str(ck) in err and "resume" in err
        assert "Traceback" not in err
    saved = _done_chunks(ck)
    assert saved >= 1
    rc, out, err = _cli(f, "--n-units", "2", "--checkpoint", ck)
    assert rc == 0, err
    assert _answer(out) == expected
    k = int(re.search(r"resumed from the checkpoint .*: (\d+) of (\d+) chunks", out).group(1))
    assert k >= saved


def _children(pid):
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent(job, tmp_path):
    f, _ = job
    proc = _start(f, tmp_path / "fit.json", "--workers", "2")
    t = time.monotonic()
    kids = []
    while len(kids) < 2 and time.monotonic() - t < 120:
        kids = [k for k in _children(proc.pid) if _running(k)]
        time.sleep(0.05)
    assert len(kids) >= 2, "no worker processes appeared"
    proc.kill()
    proc.wait(30)
    t = time.monotonic()
    while any(_running(k) for k in kids) and time.monotonic() - t < 30:
        time.sleep(0.1)
    alive = [k for k in kids if _running(k)]
    for k in alive:
        os.kill(k, signal.SIGKILL)
    assert not alive, "worker processes outlived their parent"


# ------------------------------------------------------------------ a full disk
def _csv(path, X, y):
    path.write_text("".join(",".join(repr(float(t)) for t in row) + "\n" for row in np.c_[X, y]))


def test_a_full_disk_gives_one_clear_error_and_resume_works(partial, tmp_path):
    resource = pytest.importorskip("resource")
    ck = _copy(partial, tmp_path)
    limit = len(partial[0]) // 2

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    try:
        subprocess.run([sys.executable, "-c", "pass"], preexec_fn=small_files, check=True,
                       timeout=60)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        pytest.skip(f"RLIMIT_FSIZE cannot be set here: {exc}")
    X, y = _instance()
    _csv(tmp_path / "data.csv", X, y)
    before = ck.read_bytes()
    rc, out, err = _cli(tmp_path / "data.csv", "--n-units", "3", "--checkpoint", ck,
                        preexec_fn=small_files)
    assert rc == 2, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "could not write" in err and str(ck) in err and "resumes" in err
    assert ck.read_bytes() == before                       # the previous state is intact
    assert not list(tmp_path.glob(".tmp-*"))              # and no temporary file is left
    rc, out, err = _cli(tmp_path / "data.csv", "--n-units", "3", "--checkpoint", ck)
    assert rc == 0, err
    full = partial[1]
    assert "resumed from the checkpoint" in out
    assert float(re.match(r"exact: mean mse loss (\S+)", out).group(1)) == pytest.approx(
        full.loss, rel=1e-5)
    fresh = tmp_path / "fresh.json"                        # the very first write fails
    rc, out, err = _cli(tmp_path / "data.csv", "--n-units", "3", "--checkpoint", fresh,
                        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)))
    assert rc == 2 and "nothing was written" in err and "resumes" not in err, err


def test_a_write_error_is_a_checkpoint_error():
    assert issubclass(DamagedFileError, CheckpointError)
