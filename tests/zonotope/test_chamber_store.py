"""The out-of-core chamber store trusts nothing (issue 10, section 5).

Interruptions are real: ``zonotope chambers data.csv --out DIR`` runs in a subprocess
and is killed mid-run with SIGKILL, SIGINT and SIGTERM, then resumed; the result is
compared with the in-memory enumeration (the oracle).  Files are damaged the way a
user or a disk would (flipped bytes, truncation, emptied or deleted blocks, edited or
forged state, foreign files), the disk is filled (a file-size limit in a subprocess,
and a small tmpfs where it can be mounted), and two writers race for one store.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from zonotope import (
    Arrangement,
    ChamberStore,
    CheckpointError,
    CheckpointLockedError,
    DamagedFileError,
    ValidationError,
    enumerate_chambers,
    enumerate_chambers_to_disk,
)
from zonotope.cli import main

ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")


def cli(*argv, **kwargs):
    """The command line in a fresh interpreter (for signals and resource limits)."""
    return subprocess.run([sys.executable, "-m", "zonotope.cli", *map(str, argv)],
                          capture_output=True, text=True, env=ENV, timeout=300, **kwargs)


def cli_here(capsys, *argv):
    """The command line in this process: ``(returncode, stdout, stderr)``."""
    capsys.readouterr()
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def points(n, d, seed=0):
    return np.random.default_rng(seed).standard_normal((n, d))


def write_csv(path, X):
    np.savetxt(path, X, delimiter=",", fmt="%.17g")
    return path


def reference(A):
    return enumerate_chambers(A, interior_points=False, max_chambers=None).packed


def assert_store_equals(d, A):
    st = ChamberStore(d)
    assert st.complete and st.verify() == []
    ref = reference(A)
    assert st.n_chambers == len(ref)
    assert np.array_equal(st.load(A).packed, ref)


def state_content(d):
    return json.loads((d / "state.json").read_text())["content"]


def reseal(d, content):
    """A forger who also recomputes the seal (sha256 of the canonical JSON)."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    (d / "state.json").write_text(json.dumps({"sha256": hashlib.sha256(body).hexdigest(),
                                              "content": content}))


@pytest.fixture
def small(tmp_path):
    """A finished store of 12 points in R^2 with several blocks (and its arrangement)."""
    A = Arrangement.from_points(points(12, 2))
    d = tmp_path / "store"
    st = enumerate_chambers_to_disk(A, d, block_rays=2, progress=False)
    assert st.complete and len(state_content(d)["plan"]) >= 4
    return A, d


# ============================================================ damaged blocks
def _flip(p):
    b = bytearray(p.read_bytes())
    for k in (len(b) - 1, len(b) // 2, 130):
        b[min(k, len(b) - 1)] ^= 0x5A
    p.write_bytes(bytes(b))


DAMAGE = {
    "flipped bytes": _flip,
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:-7]),
    "emptied": lambda p: p.write_bytes(b""),
    "deleted": lambda p: p.unlink(),
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_a_damaged_block_is_named_by_load_and_recomputed_by_a_rerun(small, how):
    """Before: the rerun said "(complete)" and load returned other chambers / a numpy error."""
    A, d = small
    victim = sorted(state_content(d)["blocks"])[1]
    DAMAGE[how](d / f"{victim}.npy")
    st = ChamberStore(d)
    assert st.verify() == [victim]
    with pytest.raises(DamagedFileError, match=victim):
        st.load(A)
    with pytest.raises(DamagedFileError, match=victim):
        list(st.iter_blocks())
    enumerate_chambers_to_disk(A, d, progress=False)                 # the rerun repairs
    assert_store_equals(d, A)


def test_rerun_through_the_cli_repairs_and_reports_the_right_count(small, tmp_path, capsys):
    A, d = small
    X = points(12, 2)
    csv = write_csv(tmp_path / "x.csv", X)
    for name in sorted(state_content(d)["blocks"])[:2]:
        _flip(d / f"{name}.npy")
    rc, out, err = cli_here(capsys, "chambers", csv, "--out", d)
    assert rc == 0, err
    assert out.strip() == f"{len(reference(A))} chambers written to {d} (complete)"
    assert_store_equals(d, A)


# ============================================================ damaged or edited state
@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": 2}', "null"])
def test_empty_or_invalid_state_is_a_typed_error_naming_the_file(small, text):
    """Before: JSONDecodeError / AttributeError."""
    A, d = small
    (d / "state.json").write_text(text)
    for call in (lambda: ChamberStore(d), lambda: enumerate_chambers_to_disk(A, d, progress=False)):
        with pytest.raises(DamagedFileError, match="state.json"):
            call()


def test_an_edited_count_is_refused_not_printed(small, tmp_path, capsys):
    """Before: the edited count was printed as the answer."""
    A, d = small
    text = (d / "state.json").read_text()
    name = sorted(state_content(d)["blocks"])[0]
    rows = state_content(d)["blocks"][name]["rows"]
    edited = text.replace(f'"rows": {rows},', f'"rows": {rows + 1000},', 1)
    assert edited != text
    (d / "state.json").write_text(edited)
    with pytest.raises(DamagedFileError, match="state.json.*modified or damaged"):
        ChamberStore(d)
    rc, out, err = cli_here(capsys, "chambers", write_csv(tmp_path / "x.csv", points(12, 2)),
                            "--out", d)
    assert rc == 2 and "state.json" in err and "complete" not in out


def test_a_missing_block_entry_is_refused(small):
    """Before: 6,290,254 chambers "(complete)" instead of 7,852,352."""
    A, d = small
    c = state_content(d)
    name = sorted(c["blocks"])[0]
    text = (d / "state.json").read_text()
    start = text.index(f'"{name}": {{')
    end = text.index("}", start) + 3          # the entry and the ", " after it
    (d / "state.json").write_text(text[:start] + text[end:])
    with pytest.raises(DamagedFileError, match="state.json"):
        enumerate_chambers_to_disk(A, d, progress=False)


def test_forged_state_with_a_missing_entry_or_a_wrong_count_is_recomputed(small):
    """Even a state with a valid seal is checked against the blocks and the plan."""
    A, d = small
    c = state_content(d)
    names = sorted(c["blocks"])
    del c["blocks"][names[0]]                  # a block "not written yet"
    c["blocks"][names[1]]["rows"] += 5         # a count that does not match the file
    reseal(d, c)
    st = ChamberStore(d)
    assert st.verify() == [names[1]]
    with pytest.raises(CheckpointError, match=names[0]):
        st.load(A)                             # incomplete (the forged "complete" is moot)
    enumerate_chambers_to_disk(A, d, progress=False)
    assert_store_equals(d, A)


def test_forged_plan_is_refused(small):
    A, d = small
    c = state_content(d)
    last = c["plan"].pop()
    c["blocks"].pop(last)
    c["complete"] = False
    reseal(d, c)
    with pytest.raises(DamagedFileError, match="plans other blocks"):
        enumerate_chambers_to_disk(A, d, progress=False)


def test_a_store_of_another_arrangement_is_refused(small):
    _, d = small
    with pytest.raises(ValidationError, match="another arrangement"):
        enumerate_chambers_to_disk(Arrangement.from_points(points(12, 2, seed=1)), d, progress=False)
    with pytest.raises(ValidationError, match="not the one"):
        ChamberStore(d).load(Arrangement.from_points(points(12, 2, seed=1)))


# ============================================================ odd --out paths
def test_out_naming_a_regular_file_is_a_typed_error(tmp_path, capsys):
    """Before: FileExistsError."""
    f = tmp_path / "taken"
    f.write_text("keep me")
    A = Arrangement.from_points(points(5, 2))
    with pytest.raises(ValidationError, match="existing file"):
        enumerate_chambers_to_disk(A, f, progress=False)
    rc, _, err = cli_here(capsys, "chambers", write_csv(tmp_path / "x.csv", points(5, 2)), "--out", f)
    assert rc == 2 and "existing file" in err
    assert f.read_text() == "keep me"


def test_out_naming_an_unrelated_directory_is_refused_and_left_untouched(tmp_path):
    """Before: the store was written into it silently."""
    d = tmp_path / "photos"
    d.mkdir()
    (d / "holiday.jpg").write_bytes(b"\xff\xd8")
    A = Arrangement.from_points(points(5, 2))
    with pytest.raises(ValidationError, match="holiday.jpg"):
        enumerate_chambers_to_disk(A, d, progress=False)
    assert sorted(p.name for p in d.iterdir()) == ["holiday.jpg"]
    with pytest.raises(ValidationError, match="no state.json"):
        ChamberStore(d)


def test_stale_temporaries_of_a_killed_writer_are_removed(small):
    A, d = small
    stale = d / ".tmp-block-000001.npy.k1ll3d"
    stale.write_bytes(b"\x00" * 100)
    orphan = d / "block-000999.npy"            # written, then killed before it was recorded
    orphan.write_bytes(b"\x00" * 100)
    enumerate_chambers_to_disk(A, d, progress=False)
    assert not stale.exists() and not orphan.exists()
    assert_store_equals(d, A)


def test_old_format_store_is_refused_with_advice(tmp_path):
    d = tmp_path / "old"
    d.mkdir()
    (d / "state.json").write_text(json.dumps({"format": 1, "fingerprint": "x", "complete": True,
                                              "block_counts": {"block-all": 6}}))
    with pytest.raises(DamagedFileError, match="older version"):
        ChamberStore(d)


# ============================================================ interruption (real signals)
@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """Data big enough to interrupt reliably (about a second of blocks), with its oracle."""
    tmp = tmp_path_factory.mktemp("big")
    X = points(60, 3, seed=3)
    csv = write_csv(tmp / "data.csv", X)
    A = Arrangement.from_points(np.loadtxt(csv, delimiter=","))
    return csv, A, reference(A)


def _start_and_wait_for_blocks(csv, d, n_blocks=2):
    proc = subprocess.Popen([sys.executable, "-m", "zonotope.cli", "chambers", str(csv), "--out",
                             str(d), "--block-rays", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if len(state_content(d)["blocks"]) >= n_blocks:
                return proc
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.005)
    proc.kill()
    pytest.fail(f"the writer did not reach {n_blocks} blocks while running: {proc.communicate()}")


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGINT", "SIGTERM"])
def test_killed_run_resumes_to_the_uninterrupted_answer(big, tmp_path, sig):
    csv, A, ref = big
    d = tmp_path / "store"
    proc = _start_and_wait_for_blocks(csv, d)
    proc.send_signal(getattr(signal, sig))
    out, err = proc.communicate(timeout=120)
    st = ChamberStore(d)
    assert not st.complete, "the run finished before the signal: use bigger data"
    if sig == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    else:                                       # like Ctrl-C: saved, says where, exit 130
        assert proc.returncode == 130, err
        assert "interrupted" in err and str(d) in err and "resume" in err
        assert "Traceback" not in err
    assert st.verify() == []                    # what was recorded is intact
    if sig == "SIGTERM":                        # resume from the command line ...
        res = cli("chambers", csv, "--out", d, "--block-rays", "1")
        assert res.returncode == 0, res.stderr
        assert res.stdout.strip() == f"{len(ref)} chambers written to {d} (complete)"
    else:                                       # ... or from Python (same store format)
        enumerate_chambers_to_disk(A, d, progress=False)
    assert not list(d.glob(".tmp-*"))
    st = ChamberStore(d)
    assert st.complete and st.verify() == []
    assert np.array_equal(st.load(A).packed, ref)


def test_a_second_writer_gets_a_lock_error_naming_the_holder(tmp_path, capsys):
    """Before: both writers did all the work and shared a temporary file name."""
    csv = write_csv(tmp_path / "data.csv", points(200, 3, seed=5))   # a minute of work
    A = Arrangement.from_points(np.loadtxt(csv, delimiter=","))
    d = tmp_path / "store"
    proc = _start_and_wait_for_blocks(csv, d, n_blocks=1)
    try:
        with pytest.raises(CheckpointLockedError, match=f"PID {proc.pid}"):
            enumerate_chambers_to_disk(A, d, progress=False)
        rc, _, err = cli_here(capsys, "chambers", csv, "--out", d)
        assert proc.poll() is None, "the first writer finished too early: use bigger data"
        assert rc == 2 and f"PID {proc.pid}" in err
    finally:
        proc.kill()
        proc.communicate()
    # the lock died with its holder: the next writer gets past it (and is then refused
    # for another reason, without doing any work)
    with pytest.raises(ValidationError, match="another arrangement"):
        enumerate_chambers_to_disk(Arrangement.from_points(points(5, 3)), d, progress=False)


# ============================================================ full disk
def _limit_file_size(n_bytes):
    def pre():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, n_bytes))
    return pre


def test_file_size_limit_is_one_clear_error_and_the_resume_works(tmp_path, capsys):
    """Before: OSError tracebacks and a partial block-*.tmp.npy keeping the space."""
    pytest.importorskip("resource")
    X = points(30, 3, seed=4)
    csv = write_csv(tmp_path / "data.csv", X)
    A = Arrangement.from_points(np.loadtxt(csv, delimiter=","))
    d = tmp_path / "store"
    res = cli("chambers", csv, "--out", d, "--block-rays", "1", preexec_fn=_limit_file_size(2048))
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert res.stderr.count("error:") == 1 and "Traceback" not in res.stderr
    assert "could not write" in res.stderr and "File too large" in res.stderr
    assert not list(d.glob(".tmp-*"))
    assert not ChamberStore(d).complete
    rc, _, err = cli_here(capsys, "chambers", csv, "--out", d, "--block-rays", "1")
    assert rc == 0, err
    assert_store_equals(d, A)


def test_full_tmpfs_is_one_clear_error_and_the_resume_works(tmp_path, capsys):
    mnt = tmp_path / "small_disk"
    mnt.mkdir()
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                        capture_output=True)
    if ok.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        X = points(30, 3, seed=4)
        csv = write_csv(tmp_path / "data.csv", X)
        A = Arrangement.from_points(np.loadtxt(csv, delimiter=","))
        d = mnt / "store"
        rc, out, err = cli_here(capsys, "chambers", csv, "--out", d, "--block-rays", "1")
        assert rc == 2, (out, err)
        assert err.count("error:") == 1 and "No space left on device" in err
        assert not list(d.glob(".tmp-*"))
        recorded = state_content(d)["blocks"]
        assert recorded and not ChamberStore(d).complete
        # make room: move the finished blocks to a big disk, then resume there
        big = tmp_path / "store"
        big.mkdir()
        for p in d.iterdir():
            (big / p.name).write_bytes(p.read_bytes())
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)
    rc, _, err = cli_here(capsys, "chambers", csv, "--out", big, "--block-rays", "1")
    assert rc == 0, err
    assert_store_equals(big, A)
    assert state_content(big)["blocks"][sorted(recorded)[0]] == recorded[sorted(recorded)[0]]


# ============================================================ the writing API (drivers)
def test_driver_api_verifies_and_plans(tmp_path):
    """``ChamberStore.open/write_block/has_block/mark_complete``: blocks are checksummed,
    damaged ones are dropped on open, completion needs every planned block."""
    A = Arrangement.from_points(points(6, 2))
    ref = reference(A)
    d = tmp_path / "driver"
    st = ChamberStore.open(d, A, seed=3)
    halves = {"first": ref[: len(ref) // 2], "second": ref[len(ref) // 2:]}
    for name, block in halves.items():
        st.write_block(name, block)
    assert st.has_block("first") and not st.complete and st.seed == 3
    st.mark_complete()
    assert ChamberStore(d).complete and np.array_equal(ChamberStore(d).load(A).packed, ref)
    _flip(d / "second.npy")
    st = ChamberStore.open(d, A)
    assert not st.has_block("second") and not st.complete
    with pytest.raises(ValidationError, match="planned block"):
        st.write_block("third", halves["second"])
    with pytest.raises(CheckpointError, match="second"):
        st.mark_complete()
    st.write_block("second", halves["second"])
    st.mark_complete()
    assert np.array_equal(ChamberStore(d).load(A).packed, ref)
    with pytest.raises(ValidationError, match="`name`"):
        st.write_block("../escape", halves["first"])
    st.discard_blocks(attempt=1)
    assert st.attempt == 1 and st.n_chambers == 0 and not list(d.glob("*.npy"))
