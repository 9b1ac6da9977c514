#!/usr/bin/python3
"""Reference numbers for AnySeg's NIfTI reader, computed independently with nibabel.

Writes into src/test/resources/nifti/ (run from the repository root):
  * shared_reference.json: for every *.nii / *.nii.gz under ../shared/data (recursively),
    keyed by its path relative to ../shared/data, the header fields as nibabel reads them
    and statistics of the SCALED data (get_fdata): sum, min, max and the values at five
    fixed voxel indices (i, j, k), corners included. The data files are not copied.
  * three tiny synthetic files for cases the shared data lacks, and
    synthetic_reference.json with their header fields and every scaled value
    (x fastest, i.e. Fortran order; for the 4D file, volume after volume):
      nifti2_f64.nii        NIfTI-2, 7x5x3 float64, non-trivial sform and qform
      nifti1_4d_be.nii.gz   NIfTI-1, 6x5x4x3 int16, big-endian, scl_slope 0.5, scl_inter -10
      nifti1_ext_u32.nii    NIfTI-1, 4x3x2 uint32, with a comment extension (code 6)

Deterministic: rerunning reproduces the JSON files (gzip timestamps may differ).
Run with the Debian python (nibabel 5, numpy):  /usr/bin/python3 tools/nifti/make_reference.py
"""
import glob
import json
import os

import nibabel as nib
import numpy as np

OUT = os.path.join("src", "test", "resources", "nifti")
SHARED = os.path.join("..", "shared", "data")


def num(x):
    """A JSON number; NaN and infinities become strings Java parses with Double.parseDouble."""
    x = float(x)
    if np.isnan(x):
        return "NaN"
    if np.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def header_fields(h):
    f = {
        "version": 2 if isinstance(h, nib.Nifti2Header) else 1,
        "endianness": "big" if h.endianness == ">" else "little",
        "dim": [int(v) for v in h["dim"]],
        "pixdim": [num(v) for v in h["pixdim"]],
        "datatype": int(h["datatype"]),
        "bitpix": int(h["bitpix"]),
        "scl_slope": num(h["scl_slope"]),
        "scl_inter": num(h["scl_inter"]),
        "qform_code": int(h["qform_code"]),
        "sform_code": int(h["sform_code"]),
        "xyzt_units": int(h["xyzt_units"]),
        "vox_offset": int(h["vox_offset"]),
        "descrip": h["descrip"].item().split(b"\0")[0].decode("latin-1"),
    }
    for k in ("quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z"):
        f[k] = num(h[k])
    for k in ("srow_x", "srow_y", "srow_z"):
        f[k] = [num(v) for v in h[k]]
    return f


def file_header(path, img):
    """The header as stored in the file. (A loaded image's own header has its scl_slope and
    scl_inter reset to NaN: nibabel moves the scaling into the image's data object.)"""
    with nib.openers.ImageOpener(path) as f:
        return type(img.header).from_fileobj(f)


def probe_indices(shape):
    nx, ny, nz = shape[0], shape[1], shape[2] if len(shape) > 2 else 1
    return [[0, 0, 0], [nx - 1, ny - 1, nz - 1], [nx - 1, 0, 0], [0, ny - 1, nz - 1],
            [nx // 2, ny // 3, nz // 2]]


def shared_reference():
    ref = {}
    files = sorted(glob.glob(os.path.join(SHARED, "**", "*.nii"), recursive=True) +
                   glob.glob(os.path.join(SHARED, "**", "*.nii.gz"), recursive=True))
    for path in files:
        img = nib.load(path)
        data = np.asanyarray(img.get_fdata(dtype=np.float64))
        if data.ndim > 3:
            data = data.reshape(data.shape[:3] + (-1,))[..., 0]
        elif data.ndim < 3:
            data = data.reshape(data.shape + (1,) * (3 - data.ndim))
        probes = probe_indices(data.shape)
        # a sixth probe where the data is not background: the first maximum, x fastest
        first_max = np.unravel_index(np.argmax(data.ravel(order="F")), data.shape, order="F")
        probes.append([int(v) for v in first_max])
        key = os.path.relpath(path, SHARED).replace(os.sep, "/")
        ref[key] = {
            "header": header_fields(file_header(path, img)),
            "sum": float(data.sum()),
            "min": float(data.min()),
            "max": float(data.max()),
            "probes": [{"ijk": p, "value": float(data[p[0], p[1], p[2]])} for p in probes],
        }
        print("shared", key, data.shape, img.header.get_data_dtype())
    return ref


def synthetic():
    ref = {}
    # NIfTI-2, float64, oblique sform, qform from an affine with a rotation
    x = np.arange(7 * 5 * 3, dtype=np.float64).reshape((7, 5, 3), order="F")
    data = (x * 0.37 - 11.5) ** 2 / 7.0 - 3.25
    data[0, 0, 0] = -1e-7
    data[6, 4, 2] = 12345.678901234
    c, s = np.cos(0.3), np.sin(0.3)
    affine = np.array([[0.9 * c, -0.8 * s, 0.0, -12.5],
                       [0.9 * s, 0.8 * c, 0.0, 30.25],
                       [0.0, 0.0, 2.5, -7.0],
                       [0.0, 0.0, 0.0, 1.0]])
    img = nib.Nifti2Image(data, affine)
    img.header.set_data_dtype(np.float64)
    img.header.set_xyzt_units("mm", "sec")
    img.header["descrip"] = b"AnySeg synthetic NIfTI-2"
    img.set_qform(affine, code=1)
    img.set_sform(affine, code=2)
    path = os.path.join(OUT, "nifti2_f64.nii")
    nib.save(img, path)
    check(path, "nifti2_f64.nii", ref, data, None)

    # NIfTI-1, 4D int16, big-endian, scaled. nibabel computes its own scaling when it saves
    # an image, so nibabel writes the header and the raw big-endian integers follow it.
    raw = (np.arange(6 * 5 * 4 * 3).reshape((6, 5, 4, 3), order="F") * 37 % 2001 - 1000)
    raw = raw.astype(">i2")
    hdr = nib.Nifti1Header(endianness=">")
    hdr.set_data_dtype(">i2")
    hdr.set_data_shape(raw.shape)
    aff = np.diag([1.5, 1.25, 3.0, 1.0])
    aff[:3, 3] = [-4.0, 5.0, 6.5]
    hdr.set_qform(aff, code=1)
    hdr.set_sform(aff, code=1)
    hdr.set_xyzt_units("micron", "sec")
    hdr["pixdim"][4] = 2.0
    hdr["descrip"] = b"AnySeg synthetic 4D big-endian"
    hdr.set_slope_inter(0.5, -10.0)
    hdr["vox_offset"] = 352
    path = os.path.join(OUT, "nifti1_4d_be.nii.gz")
    with nib.openers.Opener(path, "wb") as f:
        hdr.write_to(f)
        f.write(raw.tobytes(order="F"))
    check(path, "nifti1_4d_be.nii.gz", ref, raw, (0.5, -10.0))

    # NIfTI-1 with an extension, uint32
    raw = (np.arange(4 * 3 * 2).reshape((4, 3, 2), order="F").astype(np.uint64) * 123456789
           % 4000000000).astype(np.uint32)
    img = nib.Nifti1Image(raw, np.diag([0.5, 0.5, 1.0, 1.0]))
    img.header.set_data_dtype(np.uint32)
    img.header.set_xyzt_units("meter")
    img.header.extensions.append(nib.nifti1.Nifti1Extension(6, b"AnySeg test extension"))
    path = os.path.join(OUT, "nifti1_ext_u32.nii")
    nib.save(img, path)
    check(path, "nifti1_ext_u32.nii", ref, raw, None)
    return ref


def check(path, name, ref, raw, slope_inter):
    """Reads the written file back, checks it holds `raw`, and records its reference."""
    back = nib.load(path)
    assert np.array_equal(np.asanyarray(back.dataobj.get_unscaled()), raw), name
    if slope_inter is not None:
        assert (back.dataobj.slope, back.dataobj.inter) == slope_inter, name
    data = back.get_fdata(dtype=np.float64)
    ref[name] = {
        "header": header_fields(file_header(path, back)),
        "shape": list(data.shape),
        "extensions": len(back.header.extensions),
        "values": [num(v) for v in data.ravel(order="F")],
    }
    print("synthetic", name, data.shape, back.header.get_data_dtype(),
          (back.dataobj.slope, back.dataobj.inter), "extensions", len(back.header.extensions))


def main():
    os.makedirs(OUT, exist_ok=True)
    if os.path.isdir(SHARED):
        with open(os.path.join(OUT, "shared_reference.json"), "w") as f:
            json.dump(shared_reference(), f, indent=1, sort_keys=True)
            f.write("\n")
    else:
        print("no", SHARED, ": shared_reference.json left as it is")
    with open(os.path.join(OUT, "synthetic_reference.json"), "w") as f:
        json.dump(synthetic(), f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
