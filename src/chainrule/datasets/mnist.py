"""MNIST (and any IDX-format image set, e.g. Fashion-MNIST) read from local files.

The IDX format (LeCun's): a big-endian header -- magic number, then one uint32 per dimension --
followed by the raw bytes. Images have magic 2051 (``0x00000803``: unsigned bytes, 3 dims
``count x rows x cols``); labels have magic 2049 (``0x00000801``: unsigned bytes, 1 dim). The
parser is strict: a wrong magic number, a short header, missing or surplus bytes, or image and
label counts that disagree raise ``ValueError`` naming the file and what is wrong. chainrule
never downloads: put the four files (gzipped or not) in a folder.
"""

from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

from ._base import ArrayDataset

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049

_FILES = {
    True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        raw = f.read()
    if path.endswith(".gz"):
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: not a valid gzip file ({exc})") from None
    return raw


def read_idx(path: str, magic: int, ndim: int) -> np.ndarray:
    """Reads one IDX file of unsigned bytes into a uint8 array of ``ndim`` dimensions.

    Args:
        path: the file (``.gz`` is decompressed).
        magic: the expected magic number (2051 for images, 2049 for labels).
        ndim: the expected number of dimensions (3 for images, 1 for labels).

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: wrong magic number, short header, or data longer or shorter than the
            header's dimensions say.
    """
    raw = _read_bytes(path)
    header_len = 4 + 4 * ndim
    if len(raw) < 4:
        raise ValueError(f"{path}: truncated: {len(raw)} bytes, too short for an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        kind = {IMAGES_MAGIC: "images", LABELS_MAGIC: "labels"}.get(magic, "IDX")
        raise ValueError(
            f"{path}: wrong magic number {found} (0x{found:08x}), expected {magic} "
            f"(0x{magic:08x}, IDX {kind}); is this the right file?"
        )
    if len(raw) < header_len:
        raise ValueError(
            f"{path}: truncated header: {len(raw)} bytes, the {ndim}-D header needs {header_len}"
        )
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(dims, dtype=np.int64))
    present = len(raw) - header_len
    shape = " x ".join(str(d) for d in dims)
    if present < expected:
        raise ValueError(
            f"{path}: truncated data: the header declares {shape} = {expected} bytes, "
            f"only {present} present"
        )
    if present > expected:
        raise ValueError(
            f"{path}: {present - expected} bytes more than the header's {shape} = {expected}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(dims)


def _find(root: str, stem: str) -> str:
    # The canonical names, plus the dotted variant some mirrors use (train-images.idx3-ubyte).
    dotted = stem.replace("-idx", ".idx")
    for name in (stem, stem + ".gz", dotted, dotted + ".gz"):
        path = os.path.join(root, name)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        f"no MNIST file {stem} (or {stem}.gz) in {root}; put the IDX files there "
        "(chainrule never downloads)"
    )


class MNIST(ArrayDataset):
    """MNIST digits from the IDX files in ``root``: 28x28 grey images, 10 classes.

    Args:
        root: the folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``
            (``train=True``) or ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``
            (``train=False``), each optionally gzipped (``.gz``).
        train: the 60,000 training images, or the 10,000 test images.
        download: accepted for torchvision compatibility; ``True`` is refused (no network).

    Samples are ``(pixels, label)``: pixels scaled to ``[0, 1]`` float32 of shape
    ``(rows * cols,)``, label int64. ``image_shape`` is ``(rows, cols)`` from the header.
    """

    def __init__(self, root: str, train: bool = True, download: bool = False) -> None:
        if download:
            raise ValueError("chainrule never downloads; place the MNIST IDX files in " + root)
        if not os.path.isdir(root):
            raise FileNotFoundError(f"MNIST folder {root} does not exist")
        images_path, labels_path = (_find(root, stem) for stem in _FILES[bool(train)])
        images = read_idx(images_path, IMAGES_MAGIC, 3)
        labels = read_idx(labels_path, LABELS_MAGIC, 1)
        if images.shape[0] != labels.shape[0]:
            raise ValueError(
                f"{images_path} holds {images.shape[0]} images but {labels_path} holds "
                f"{labels.shape[0]} labels"
            )
        if labels.size and labels.max() > 9:
            raise ValueError(f"{labels_path}: label {int(labels.max())} is not a digit 0-9")
        count, rows, cols = images.shape
        # uint8 -> float32 then divide in place, as torchvision's ToTensor does (x / 255).
        features = images.reshape(count, rows * cols).astype(np.float32)
        features /= np.float32(255)
        super().__init__(
            features,
            labels.astype(np.int64),
            num_classes=10,
            image_shape=(rows, cols),
            name=f"mnist:{root} ({'train' if train else 'test'})",
        )
        self.root = root
        self.train = bool(train)
