#!/usr/bin/env python3
"""Read an AnySeg embedding store (docs/embeddings.md) with numpy alone, or with zarr.

    /usr/bin/python3 tools/embeddings/read_store.py STORE [--compare OTHER_STORE]

Lists every entry (key, source, slice, window, normalization) with its tensors' shapes,
dtypes and value ranges, checking each chunk's size; with --compare, the largest absolute
difference per tensor between entries of the same key in two stores (float32 vs float16).
Uses the `zarr` package when it is installed (and cross-checks it against the plain
reader), else reads the JSON metadata and chunk bytes directly. Never needed by the build
or the tests.
"""
import argparse
import json
import os
import sys
import zlib

import numpy as np


def read_array(path):
    """One Zarr v2 array in one chunk, as written by AnySeg: raw or zlib, <f4 or <f2."""
    with open(os.path.join(path, ".zarray")) as f:
        meta = json.load(f)
    assert meta["zarr_format"] == 2, meta
    assert meta["order"] == "C" and meta.get("filters") is None, meta
    shape = tuple(meta["shape"])
    assert tuple(meta["chunks"]) == shape, "one chunk per array"
    dtype = np.dtype(meta["dtype"])
    chunk = os.path.join(path, ".".join("0" for _ in shape) or "0")
    with open(chunk, "rb") as f:
        data = f.read()
    comp = meta.get("compressor")
    if comp is not None:
        assert comp["id"] == "zlib", "AnySeg writes no other compressor: %s" % comp
        data = zlib.decompress(data)
    expected = int(np.prod(shape)) * dtype.itemsize
    assert len(data) == expected, "chunk %s: %d bytes, expected %d" % (chunk, len(data), expected)
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def entries(store):
    with open(os.path.join(store, ".zattrs")) as f:
        root = json.load(f)
    assert "anyseg_embeddings" in root, "not an AnySeg embedding store"
    for name in sorted(os.listdir(store)):
        entry = os.path.join(store, name)
        if name.startswith(".") or not os.path.isdir(entry):
            continue  # .partial holds unfinished writes: never read
        with open(os.path.join(entry, ".zattrs")) as f:
            attrs = json.load(f)
        assert attrs["key"] == name, (attrs["key"], name)
        tensors = {t: read_array(os.path.join(entry, d)) for d, t in attrs["tensors"].items()}
        yield name, attrs, tensors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--compare")
    a = ap.parse_args()
    try:
        import zarr
    except ImportError:
        zarr = None
    print("reader:", "zarr %s + plain numpy" % zarr.__version__ if zarr else "plain numpy "
          "(the zarr package is not installed)")
    n = 0
    for key, attrs, tensors in entries(a.store):
        n += 1
        print("%s... %s slice %s window %s normalization %s dtype %s" % (
            key[:12], attrs.get("source"), attrs.get("slice", "-"), attrs["window"],
            attrs["normalization"], attrs["dtype"]))
        for t, v in tensors.items():
            v32 = v.astype(np.float32)
            print("   %-20s %-18s %s  min %.4f max %.4f mean %.5f" % (
                t, v.shape, v.dtype, v32.min(), v32.max(), v32.mean()))
            assert np.isfinite(v32).all()
            if zarr is not None:
                g = zarr.open_group(a.store, mode="r")
                d = [d for d, name in attrs["tensors"].items() if name == t][0]
                assert np.array_equal(g[key][d][...], v)
        if a.compare:
            other = dict((k, ts) for k, _, ts in entries(a.compare))
            if key in other:
                for t, v in tensors.items():
                    d = np.abs(v.astype(np.float32) - other[key][t].astype(np.float32))
                    print("   vs %s: max |diff| %.3g, max relative %.3g" % (
                        a.compare, d.max(), (d / np.maximum(np.abs(v.astype(np.float32)),
                                                           1e-3)).max()))
    print("%d entries read" % n)
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
