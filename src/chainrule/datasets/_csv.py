"""Numeric tables from CSV files: a header row, then one sample per row.

Reading is strict and every error names the file, the row and the column: a missing label
column lists the columns there are, a non-numeric or empty cell is quoted, a row with the wrong
number of cells is counted. The fast path converts the whole table in one NumPy call; the
cell-by-cell scan runs only to name the culprit once that call has failed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence

import numpy as np

from ._base import ArrayDataset


def _read_rows(path: str) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, the data rows, and each data row's line number in the file."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [row for row in csv.reader(f)]
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    except csv.Error as exc:
        raise ValueError(f"{path}: not a valid CSV file ({exc})") from None
    # Blank lines (e.g. a trailing newline) carry no sample.
    numbered = [(i + 1, r) for i, r in enumerate(rows) if r and any(c.strip() for c in r)]
    if not numbered:
        raise ValueError(f"{path}: the file is empty (expected a header row of column names)")
    header = [c.strip() for c in numbered[0][1]]
    if len(set(header)) != len(header):
        dup = sorted({c for c in header if header.count(c) > 1})
        raise ValueError(f"{path}: duplicate column names in the header: {', '.join(dup)}")
    body = []
    for line, row in numbered[1:]:
        if len(row) != len(header):
            raise ValueError(
                f"{path}: line {line} has {len(row)} cells, the header has {len(header)} columns"
            )
        body.append(row)
    if not body:
        raise ValueError(f"{path}: the header has no data rows under it")
    return header, body, [line for line, _ in numbered[1:]]


def _to_float(
    path: str, header: list[str], body: list[list[str]], columns: list[int], lines: list[int]
) -> np.ndarray:
    cells = np.array([[row[c] for c in columns] for row in body], dtype=object)
    try:
        values = cells.astype(np.float64)
    except ValueError:
        values = None
    if values is not None and np.isfinite(values).all():
        return values
    for r, row in enumerate(cells):
        for j, cell in enumerate(row):
            try:
                v = float(cell)
            except ValueError:
                v = None
            if v is None or not math.isfinite(v):
                what = "is empty" if not str(cell).strip() else f"{cell!r} is not a finite number"
                raise ValueError(
                    f"{path}: row {r + 1} (line {lines[r]}), column {header[columns[j]]!r}: {what}"
                )
    raise AssertionError("unreachable")  # pragma: no cover


def read_features(
    path: str, feature_names: Sequence[str] | None = None, drop: Sequence[str] = ()
) -> tuple[np.ndarray, list[str]]:
    """Reads the numeric columns of a CSV file as float32 ``(rows, columns)``.

    Args:
        path: the CSV file (a header row first).
        feature_names: when given, these columns in this order (a missing one is an error that
            lists the file's columns); otherwise every column not in ``drop``.
        drop: columns to leave out (e.g. a label column), when present.
    """
    header, body, lines = _read_rows(path)
    if feature_names is not None:
        missing = [n for n in feature_names if n not in header]
        if missing:
            raise ValueError(
                f"{path}: no column {missing[0]!r} (the model was trained on columns "
                f"{', '.join(feature_names)}); the file has columns: {', '.join(header)}"
            )
        names = list(feature_names)
    else:
        names = [c for c in header if c not in drop]
        if not names:
            raise ValueError(f"{path}: no feature columns (columns: {', '.join(header)})")
    columns = [header.index(n) for n in names]
    return _to_float(path, header, body, columns, lines).astype(np.float32), names


class CSVDataset(ArrayDataset):
    """A classification table from a CSV file: one column of labels, the rest numeric features.

    Args:
        path: the CSV file; its first row names the columns.
        label_column: the name of the column holding the class of each row.
        classes: the class names in index order (e.g. from a trained model). When omitted:
            labels that are all whole numbers ``>= 0`` are used as class indices directly;
            otherwise each distinct label (sorted) becomes a class, named by its text.

    Raises:
        FileNotFoundError: no such file.
        ValueError: no ``label_column`` (the message lists the columns), a feature cell that is
            empty or not a number (names the row, line and column), a ragged row, an empty file,
            or a label not among ``classes``.
    """

    def __init__(
        self, path: str, label_column: str = "label", classes: Sequence[str] | None = None
    ) -> None:
        header, body, lines = _read_rows(path)
        if label_column not in header:
            raise ValueError(
                f"{path}: no label column {label_column!r}; the columns are: {', '.join(header)}"
            )
        label_index = header.index(label_column)
        feature_cols = [i for i in range(len(header)) if i != label_index]
        if not feature_cols:
            raise ValueError(f"{path}: no feature columns besides the label {label_column!r}")
        features = _to_float(path, header, body, feature_cols, lines).astype(np.float32)
        raw = [row[label_index].strip() for row in body]
        labels, class_names = _encode_labels(path, label_column, raw, lines, classes)
        super().__init__(
            features,
            labels,
            num_classes=len(class_names),
            classes=class_names,
            feature_names=[header[i] for i in feature_cols],
            name=f"csv:{path}",
        )
        self.path = path
        self.label_column = label_column


def _encode_labels(
    path: str, column: str, raw: list[str], lines: list[int], classes: Sequence[str] | None
) -> tuple[np.ndarray, list[str]]:
    for r, cell in enumerate(raw):
        if not cell:
            raise ValueError(f"{path}: row {r + 1} (line {lines[r]}), column {column!r}: is empty")
    if classes is not None:
        index = {str(c): i for i, c in enumerate(classes)}
        # Whole-number labels may be written 3 or 3.0; match them by value too.
        labels = np.empty(len(raw), np.int64)
        for r, cell in enumerate(raw):
            key = cell if cell in index else _as_int_text(cell)
            if key not in index:
                raise ValueError(
                    f"{path}: row {r + 1} (line {lines[r]}), column {column!r}: label {cell!r} "
                    f"is not one of the model's classes ({', '.join(map(str, classes))})"
                )
            labels[r] = index[key]
        return labels, [str(c) for c in classes]
    as_ints = [_as_int_text(c) for c in raw]
    if all(v is not None and int(v) >= 0 for v in as_ints):
        labels = np.array([int(v) for v in as_ints], np.int64)  # type: ignore[arg-type]
        return labels, [str(i) for i in range(int(labels.max()) + 1)]
    names = sorted(set(raw))
    index = {n: i for i, n in enumerate(names)}
    return np.array([index[c] for c in raw], np.int64), names


def _as_int_text(cell: str) -> str | None:
    """'3' or '3.0' -> '3'; anything not a whole number -> None."""
    try:
        v = float(cell)
    except ValueError:
        return None
    if not math.isfinite(v) or v != int(v):
        return None
    return str(int(v))
