"""Data loading (:mod:`zonotope.io`): delimited text, NPZ and IDX files.

Every file is written by the test itself; the IDX writer below is independent of the
reader (``struct`` + ``numpy.tobytes`` on big-endian arrays), so a round trip checks
the header parsing, the type codes and the byte order.
"""

from __future__ import annotations

import gzip
import struct
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zonotope
from zonotope import ValidationError
from zonotope.io import IDX_TYPES, load_data, load_idx


def write_text(tmp_path, content, name="d.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return p


def write_idx(path, arr, code, *, compress=False):
    """IDX bytes: 0, 0, type code, ndim, big-endian uint32 dims, big-endian data."""
    be = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    arr = np.asarray(arr)
    raw = struct.pack(">BBBB", 0, 0, code, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    raw += arr.astype(be).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


def error_of(path, **kwargs):
    with pytest.raises(ValidationError) as info:
        load_data(path, **kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- text
def test_exact_integers_and_fractions_stay_exact(tmp_path):
    M = load_data(write_text(tmp_path, "1 2/3\n-4 5\n"))
    assert M.dtype == object
    assert M.tolist() == [[1, Fraction(2, 3)], [-4, 5]]
    assert type(M[0, 0]) is int and type(M[0, 1]) is Fraction
    M = load_data(write_text(tmp_path, "1.5, 2\n3, 4e0\n1/4, -0.5\n"))
    assert M.dtype == np.float64
    np.testing.assert_array_equal(M, [[1.5, 2.0], [3.0, 4.0], [0.25, -0.5]])


@pytest.mark.parametrize("sep,name", [(",", ","), (";", ";"), ("\t", "tab"), (" ", "whitespace"),
                                      ("   ", "whitespace")])
def test_each_delimiter_sniffed_and_given(tmp_path, sep, name):
    p = write_text(tmp_path, f"1{sep}2{sep}3\n4{sep}5{sep}6\n")
    expected = [[1, 2, 3], [4, 5, 6]]
    assert load_data(p).tolist() == expected
    given_delim = {",": ",", ";": ";", "tab": "\t", "whitespace": "whitespace"}[name]
    assert load_data(p, delimiter=given_delim).tolist() == expected


def test_comma_decimals_are_an_error_not_more_columns(tmp_path):
    p = write_text(tmp_path, "1,5 2,5\n3,5 4,5\n")
    msg = error_of(p)
    assert "'5 2'" in msg and "line 1, column 2" in msg and "delimiter ','" in msg and str(p) in msg
    msg = error_of(p, delimiter="whitespace")
    assert "'1,5'" in msg and "line 1, column 1" in msg and "decimal comma" in msg


def test_empty_cells_are_errors_naming_line_and_column(tmp_path):
    p = write_text(tmp_path, "# a comment\n0,0,0\n\n1,,2\n")
    msg = error_of(p)
    assert "an empty cell" in msg and "line 4, column 2" in msg
    p = write_text(tmp_path, "1\t\t2\n3\t4\t5\n")
    assert "an empty cell" in error_of(p, delimiter="\t")


def test_byte_order_mark_is_accepted(tmp_path):
    p = write_text(tmp_path, b"\xef\xbb\xbfx1,x2\n1,2\n3,4\n")
    assert load_data(p).tolist() == [[1, 2], [3, 4]]
    p = write_text(tmp_path, b"\xef\xbb\xbf1,2\n3,4\n")
    assert load_data(p).tolist() == [[1, 2], [3, 4]]


def test_header_only_when_every_cell_is_a_name(tmp_path):
    assert load_data(write_text(tmp_path, '"x 1","x 2",label\n0,1,2\n')).tolist() == [[0, 1, 2]]
    assert load_data(write_text(tmp_path, "x1 x2\n0 1\n")).tolist() == [[0, 1]]
    msg = error_of(write_text(tmp_path, "x,2\n0,1\n"))
    assert "all numbers (data) or all names (a header)" in msg and "line 1" in msg
    # '1;2' read with ',' is one cell that is neither a number nor a name
    msg = error_of(write_text(tmp_path, "1;2\n3;4\n"), delimiter=",")
    assert "'1;2'" in msg and "line 1, column 1" in msg
    # sniffed, the same file is two columns
    assert load_data(write_text(tmp_path, "1;2\n3;4\n")).tolist() == [[1, 2], [3, 4]]
    assert "at least one data row" in error_of(write_text(tmp_path, "x,y\n"))


def test_rows_of_different_lengths_and_non_numbers(tmp_path):
    msg = error_of(write_text(tmp_path, "1,2\n3\n"))
    assert "same number of columns (2)" in msg and "line 2" in msg
    msg = error_of(write_text(tmp_path, "1,2\n3,4\n5,q\n"))
    assert "'q'" in msg and "line 3, column 2" in msg
    for bad in ("1,nan\n", "1,-inf\n", "1e400,0\n", "1,2/0\n"):
        msg = error_of(write_text(tmp_path, bad))
        assert ("finite" in msg) or ("'2/0'" in msg)


def test_unreadable_files(tmp_path):
    msg = error_of(tmp_path / "missing.csv")
    assert "readable text, NPZ or IDX file" in msg and "missing.csv" in msg
    assert "UTF-8" in error_of(write_text(tmp_path, b"\xff\xfe1,2\n"))
    assert "at least one data row" in error_of(write_text(tmp_path, "\n# nothing\n"))


@pytest.mark.parametrize("bad", ["|", ",,", 3, b","])
def test_bad_delimiter(tmp_path, bad):
    p = write_text(tmp_path, "1,2\n")
    with pytest.raises(ValidationError, match="`delimiter` of `load_data`"):
        load_data(p, delimiter=bad)


def test_labels_last_and_label_file(tmp_path):
    p = write_text(tmp_path, "x1,x2,y\n0,1,1\n2,3,0\n")
    X, y = load_data(p, labels="last")
    assert X.tolist() == [[0, 1], [2, 3]] and y.tolist() == [1, 0]
    q = write_text(tmp_path, "7\n8\n", name="y.txt")
    X2, y2 = load_data(p, labels=q)
    assert X2.tolist() == [[0, 1, 1], [2, 3, 0]] and y2.tolist() == [7, 8]
    with pytest.raises(ValidationError, match="one label per row"):
        load_data(p, labels=write_text(tmp_path, "7\n8\n9\n", name="y3.txt"))
    with pytest.raises(ValidationError, match="at least 2 columns"):
        load_data(write_text(tmp_path, "1\n2\n", name="one.txt"), labels="last")
    with pytest.raises(ValidationError, match="`labels` of `load_data`"):
        load_data(p, labels=3)
    with pytest.raises(ValidationError, match="`path` of `load_data` must be a file name"):
        load_data(3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.integers(1, 5), cols=st.integers(1, 4), data=st.data(),
       sep=st.sampled_from([",", ";", "\t", " "]), header=st.booleans(), decimals=st.booleans())
def test_property_written_matrix_reads_back(tmp_path, rows, cols, data, sep, header, decimals):
    nums = st.fractions(min_value=-1000, max_value=1000, max_denominator=64)
    M = [[data.draw(nums) for _ in range(cols)] for _ in range(rows)]
    if decimals:
        M = [[float(v) for v in r] for r in M]
        text = [sep.join(repr(v) for v in r) for r in M]
    else:
        text = [sep.join(str(v) for v in r) for r in M]
    if header:
        text = [sep.join(f"col{j}" for j in range(cols))] + text
    got = load_data(write_text(tmp_path, "\n".join(text) + "\n"))
    assert got.shape == (rows, cols)
    assert got.dtype == (np.float64 if decimals else object)
    assert [[Fraction(v) for v in r] for r in got.tolist()] == [[Fraction(v) for v in r] for r in M]


# --------------------------------------------------------------------------- IDX
@pytest.mark.parametrize("code", sorted(IDX_TYPES))
@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip(tmp_path, code, compress):
    rng = np.random.default_rng(code)
    dtype = np.dtype(IDX_TYPES[code]).newbyteorder("=")
    if dtype.kind == "f":
        arr = rng.standard_normal((4, 3, 2)).astype(dtype)
    else:
        info = np.iinfo(dtype)
        arr = rng.integers(info.min, int(info.max) + 1, size=(4, 3, 2)).astype(dtype)
    p = write_idx(tmp_path / ("a.idx.gz" if compress else "a.idx"), arr, code, compress=compress)
    got = load_idx(p)
    assert got.dtype == dtype and got.shape == (4, 3, 2)
    np.testing.assert_array_equal(got, arr)
    M = load_data(p)
    assert M.dtype == np.float64 and M.shape == (4, 6)
    np.testing.assert_array_equal(M, arr.reshape(4, 6).astype(np.float64))


def test_idx_mnist_layout_images_and_labels(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 4, 4)).astype(np.uint8)
    labels = rng.integers(0, 10, size=5).astype(np.uint8)
    pi = write_idx(tmp_path / "train-images-idx3-ubyte.gz", images, 0x08, compress=True)
    pl = write_idx(tmp_path / "train-labels-idx1-ubyte", labels, 0x08)
    np.testing.assert_array_equal(load_idx(pl), labels)
    X, y = load_data(pi, labels=pl)
    np.testing.assert_array_equal(X, images.reshape(5, 16))
    np.testing.assert_array_equal(y, labels)
    assert load_data(pl).shape == (5, 1)


def test_idx_malformed(tmp_path):
    arr = np.arange(6, dtype=np.uint8).reshape(2, 3)
    good = write_idx(tmp_path / "g.idx", arr, 0x08).read_bytes()
    (tmp_path / "short.idx").write_bytes(good[:-1])
    (tmp_path / "long.idx").write_bytes(good + b"\x00")
    (tmp_path / "magic.idx").write_bytes(b"\x00\x01" + good[2:])
    (tmp_path / "head.idx").write_bytes(good[:6])
    for name, needle in (("short", "of 17 bytes"), ("long", "of 19 bytes"), ("magic", "magic number"),
                         ("head", "dimension sizes")):
        with pytest.raises(ValidationError, match=needle):
            load_idx(tmp_path / f"{name}.idx")
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b" + b"garbage")
    with pytest.raises(ValidationError, match="gzip"):
        load_idx(tmp_path / "bad.gz")


# --------------------------------------------------------------------------- NPZ
def test_npz_single_array_and_named_arrays(tmp_path):
    A = np.arange(6.0).reshape(3, 2)
    np.savez(tmp_path / "a.npz", A)
    np.testing.assert_array_equal(load_data(tmp_path / "a.npz"), A)
    y = np.array([1.0, 0.0, 1.0])
    np.savez(tmp_path / "b.npz", X=A, y=y)
    X, yy = load_data(tmp_path / "b.npz", labels="last")
    np.testing.assert_array_equal(X, A)
    np.testing.assert_array_equal(yy, y)
    big = np.array([[2**60 + 1, 1]], dtype=np.int64)     # not exact as float64: kept exact
    np.savez(tmp_path / "c.npz", big)
    assert load_data(tmp_path / "c.npz").tolist() == [[2**60 + 1, 1]]


def test_npz_errors(tmp_path):
    np.savez(tmp_path / "two.npz", a=np.zeros((2, 2)), b=np.zeros(2))
    with pytest.raises(ValidationError, match="one array, or arrays 'X'"):
        load_data(tmp_path / "two.npz")
    np.savez(tmp_path / "nan.npz", np.array([[np.nan, 1.0]]))
    with pytest.raises(ValidationError, match="finite"):
        load_data(tmp_path / "nan.npz")
    np.savez(tmp_path / "xy.npz", X=np.zeros((3, 2)), y=np.zeros(2))
    with pytest.raises(ValidationError, match="same number of rows"):
        load_data(tmp_path / "xy.npz")
    np.savez(tmp_path / "str.npz", np.array([["a", "b"]]))
    with pytest.raises(ValidationError, match="real numbers"):
        load_data(tmp_path / "str.npz")


def test_namespace_exports():
    assert zonotope.load_data is load_data and zonotope.load_idx is load_idx
    assert {"load_data", "load_idx"} <= set(zonotope.__all__)
