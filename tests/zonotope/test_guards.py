"""Every enumeration estimates its size first and refuses absurd runs (issue 10, sections 4, 6).

Each refusal is checked for its message (the estimate, the limit, how to force it)
and for *not having started the work*: the peak of Python-level allocations
(``tracemalloc``) during the refused call stays small.  Forcing (``max_...=None``)
gives the same answers as the default on small inputs, and bad limits are typed
errors.  The command line adds ``--force`` and ``--seed`` checks.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from zonotope import (
    Arrangement,
    TooLargeError,
    ValidationError,
    Zonotope,
    count_chambers,
    enumerate_chambers,
    enumerate_chambers_to_disk,
    iter_chambers,
)
from zonotope.chambers import DEFAULT_MAX_WORK, count_work
from zonotope.cli import main


def refused(call, *patterns, peak_mib=64):
    """``call()`` raises TooLargeError whose message has all ``patterns``, allocating little."""
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError) as info:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    msg = str(info.value)
    for p in patterns:
        assert p in msg, (p, msg)
    assert peak < peak_mib * 2**20, f"{peak / 2**20:.1f} MiB allocated before refusing"
    return msg


@pytest.fixture(scope="module")
def big_zonotope():
    """200 random points in R^4 (before: minutes and MemoryError)."""
    return Zonotope.from_points(np.random.default_rng(0).standard_normal((200, 4)))


# ============================================================ Zonotope
def test_vertices_and_skeleton_refuse(big_zonotope):
    Z = big_zonotope
    for call in (lambda: Z.vertices, lambda: Z.skeleton(), lambda: Z.n_vertices,
                 lambda: Z.faces(0), lambda: Z.edges):
        refused(call, "129,409,702 chambers", "max_chambers=5,000,000", "max_chambers=None",
                "Zonotope(")


def test_faces_and_f_vector_refuse_before_the_lattice(big_zonotope):
    Z = big_zonotope
    for k in (1, 2, 4):
        refused(lambda: Z.faces(k), "flats", "max_flats=100,000", "max_flats=None")
    refused(Z.f_vector, "flats", "max_flats=None")
    msg = refused(lambda: Z.faces(1, max_flats=None), "faces of dimension 1", "max_faces=None")
    assert "max_faces=5,000,000" in msg


def test_volume_refuses(big_zonotope):
    refused(big_zonotope.volume, "2,535,650,040 determinants", "max_subsets=2,000,000",
            "max_subsets=None")
    refused(lambda: big_zonotope.volume(exact=True), "max_subsets=None")


def test_power_and_its_generators_refuse():
    Z = Zonotope.from_points(np.random.default_rng(1).standard_normal((5, 4)))
    refused(lambda: Z.power(2000).generators, "100,000,000 entries", "max_entries=10,000,000",
            "generator_matrix(max_entries=None)")
    refused(lambda: Z.power(10**9), "1,000,000,000 factors", "max_factors=None")
    P = Z.power(3)
    assert P.generators.shape == (15, 15)
    assert np.array_equal(P.generator_matrix(max_entries=None), P.generators)
    assert Z.power(3, max_factors=None).n_vertices == Z.n_vertices ** 3


def test_forcing_gives_the_default_answers_on_small_input():
    Z = Zonotope.from_points([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    assert Z.f_vector(max_flats=None) == Z.f_vector()
    for k in range(Z.arrangement.rank + 1):
        forced, default = Z.faces(k, max_flats=None, max_faces=None), Z.faces(k)
        assert len(forced) == len(default) > 0
        assert all(a[0] == b[0] and np.array_equal(a[1], b[1]) for a, b in zip(forced, default))
    assert Z.volume(max_subsets=None) == Z.volume()
    with pytest.raises(TooLargeError, match="max_faces=3"):
        Z.faces(1, max_faces=3)
    with pytest.raises(TooLargeError, match="max_flats=3"):
        Z.f_vector(max_flats=3)
    with pytest.raises(TooLargeError, match="max_subsets=3"):
        Z.volume(max_subsets=3)
    small = Zonotope.from_points([[0.0], [1.0], [3.0]], max_chambers=5)
    with pytest.raises(TooLargeError, match="max_chambers=5"):
        small.vertices
    assert Zonotope.from_points([[0.0], [1.0], [3.0]], max_chambers=None).n_vertices == 6


@pytest.mark.parametrize("bad", [-1, 1.5, "10", True])
def test_bad_limits_are_typed_errors(bad):
    Z = Zonotope([[1, 0], [0, 1]])
    for call in (lambda: Zonotope([[1, 0]], max_chambers=bad), lambda: Z.f_vector(max_flats=bad),
                 lambda: Z.faces(1, max_faces=bad), lambda: Z.volume(max_subsets=bad),
                 lambda: Z.power(2, max_factors=bad),
                 lambda: Z.power(2).generator_matrix(max_entries=bad),
                 lambda: count_chambers(Arrangement([[1, 0]]), max_work=bad),
                 lambda: enumerate_chambers(Arrangement([[1, 0]]), max_chambers=bad)):
        with pytest.raises(ValidationError):
            call()


# ============================================================ counting and enumeration
def test_count_refuses_a_million_points_on_a_line():
    """Before: ``count`` tried to allocate 931 GiB (a ray x hyperplane sign matrix)."""
    A = Arrangement.from_points(np.arange(1_000_000.0)[:, None])
    refused(lambda: count_chambers(A), "1e+12 sign evaluations", "max_work=5e+09",
            "max_work=None")
    assert count_work(A) == 10**12


def test_count_refuses_200_points_in_r4():
    """Before: 11 minutes and 14 GB RSS."""
    A = Arrangement.from_points(np.random.default_rng(0).standard_normal((200, 4)))
    refused(lambda: count_chambers(A), "sign evaluations", "max_work=None")
    refused(lambda: count_chambers(A, method="lattice"), "method='lattice'")


def test_count_work_bounds_and_forcing():
    A = Arrangement.from_points([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert count_work(A) == 6 * 4 and count_work(A, "formula") == 4
    assert count_chambers(A, max_work=None) == count_chambers(A) == 14
    with pytest.raises(TooLargeError):  # the a-priori bound of the sweep
        count_chambers(A, method="sweep", max_work=23)
    assert count_chambers(A, method="sweep", max_work=24) == 14
    with pytest.raises(TooLargeError):  # the lattice path checks the work it does
        count_chambers(A, max_work=3)
    assert DEFAULT_MAX_WORK >= 10**9


def test_enumeration_refuses_many_chambers_of_many_hyperplanes():
    """2e5 points on a line: only 4e5 chambers, but 8e10 signs (9.3 GiB packed)."""
    A = Arrangement.from_points(np.arange(200_000.0)[:, None])
    for call in (lambda: enumerate_chambers(A), lambda: enumerate_chambers(A, max_chambers=10**6),
                 lambda: iter_chambers(A, max_chambers=10**6)):
        refused(call, "400,000 chambers of 200,000 hyperplanes", "GiB packed", "max_chambers=None")


def test_chamber_store_refuses_before_touching_the_directory(tmp_path):
    A = Arrangement.from_points(np.arange(200_000.0)[:, None])
    d = tmp_path / "store"
    refused(lambda: enumerate_chambers_to_disk(A, d, progress=False), "in memory at once",
            "max_chambers=None")
    assert not d.exists()


# ============================================================ command line
def cli(capsys, *argv):
    """The command line in this process: ``(returncode, stdout, stderr)``."""
    capsys.readouterr()
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture(scope="module")
def line_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("line") / "line.npz"
    np.savez(p, X=np.arange(200_000.0)[:, None])
    return p


def test_cli_refuses_with_the_force_hint(line_file, tmp_path, capsys):
    for argv in (["count", line_file], ["chambers", line_file],
                 ["chambers", line_file, "--out", tmp_path / "st"]):
        rc, _, err = cli(capsys, *argv)
        assert rc == 2, err
        assert "add --force" in err


@pytest.mark.parametrize("argv", [["count", "--seed", "-1"], ["chambers", "--seed", "-1"],
                                  ["chambers", "--block-rays", "0"]])
def test_cli_bad_numbers_are_typed_errors(argv, tmp_path, capsys):
    """Before: ``--seed -1`` gave a raw ValueError."""
    p = tmp_path / "d.csv"
    p.write_text("0,0\n1,0\n0,1\n")
    rc, _, err = cli(capsys, argv[0], p, *argv[1:])
    assert rc == 2
    assert f"`{argv[1]}` of `zonotope {argv[0]}`" in err


def test_cli_count_force_and_seed(tmp_path, capsys):
    p = tmp_path / "d.csv"
    p.write_text("0,0\n1,0\n0,1\n1,1\n")
    rc, out, _ = cli(capsys, "count", p, "--force", "--seed", "7")
    assert rc == 0 and out.startswith("14 chambers")
