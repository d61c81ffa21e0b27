"""CSVDataset and read_features: parsing, label encoding, and the errors a person would hit."""

from __future__ import annotations

import numpy as np
import pytest

from chainrule.datasets import CSVDataset, read_features


def _csv(tmp_path, text: str, name="data.csv") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_reads_features_and_integer_labels(tmp_path):
    path = _csv(tmp_path, "a,label,b\n1.5,2,3\n-4,0,5e-1\n\n")
    ds = CSVDataset(path, "label")
    assert len(ds) == 2 and ds.num_features == 2 and ds.num_classes == 3
    assert ds.feature_names == ["a", "b"] and ds.image_shape is None
    np.testing.assert_array_equal(ds.features, np.array([[1.5, 3], [-4, 0.5]], np.float32))
    assert ds.features.dtype == np.float32
    x, y = ds[1]
    assert str(x.dtype) == "torch.float32" and str(y.dtype) == "torch.int64" and int(y) == 0


def test_string_labels_become_sorted_classes(tmp_path):
    path = _csv(tmp_path, "x,species\n1,virginica\n2,setosa\n3,virginica\n")
    ds = CSVDataset(path, label_column="species")
    assert ds.classes == ["setosa", "virginica"]
    np.testing.assert_array_equal(ds.labels, [1, 0, 1])


def test_given_classes_map_labels(tmp_path):
    path = _csv(tmp_path, "x,label\n1,b\n2,a\n")
    ds = CSVDataset(path, classes=["a", "b", "c"])
    assert ds.num_classes == 3
    np.testing.assert_array_equal(ds.labels, [1, 0])
    with pytest.raises(ValueError, match=r"row 1 \(line 2\), column 'label': label 'b' is not one"):
        CSVDataset(path, classes=["a", "c"])


def test_missing_label_column_lists_columns(tmp_path):
    path = _csv(tmp_path, "a,b,target\n1,2,0\n")
    with pytest.raises(ValueError, match=r"no label column 'label'; the columns are: a, b, target"):
        CSVDataset(path)


def test_non_numeric_cell_names_row_and_column(tmp_path):
    path = _csv(tmp_path, "a,b,label\n1,2,0\n3,oops,1\n")
    with pytest.raises(ValueError, match=r"row 2 \(line 3\), column 'b': 'oops' is not a finite"):
        CSVDataset(path)


def test_empty_and_nan_cells(tmp_path):
    path = _csv(tmp_path, "a,label\n1,0\n,1\n")
    with pytest.raises(ValueError, match=r"row 2 \(line 3\), column 'a': is empty"):
        CSVDataset(path)
    path = _csv(tmp_path, "a,label\nnan,0\n", "nan.csv")
    with pytest.raises(ValueError, match=r"row 1 \(line 2\), column 'a': 'nan' is not a finite"):
        CSVDataset(path)
    path = _csv(tmp_path, "a,label\n1,\n", "nolabel.csv")
    with pytest.raises(ValueError, match=r"column 'label': is empty"):
        CSVDataset(path)


def test_ragged_empty_and_missing(tmp_path):
    with pytest.raises(ValueError, match="line 3 has 3 cells, the header has 2"):
        CSVDataset(_csv(tmp_path, "a,label\n1,0\n1,2,3\n"))
    with pytest.raises(ValueError, match="the file is empty"):
        CSVDataset(_csv(tmp_path, "\n", "empty.csv"))
    with pytest.raises(ValueError, match="no data rows"):
        CSVDataset(_csv(tmp_path, "a,label\n", "header.csv"))
    with pytest.raises(ValueError, match="duplicate column names in the header: a"):
        CSVDataset(_csv(tmp_path, "a,a,label\n1,2,0\n", "dup.csv"))
    with pytest.raises(FileNotFoundError):
        CSVDataset(str(tmp_path / "absent.csv"))


def test_read_features_by_name(tmp_path):
    path = _csv(tmp_path, "b,label,a\n1,0,2\n3,1,4\n")
    values, names = read_features(path, feature_names=["a", "b"])
    assert names == ["a", "b"]
    np.testing.assert_array_equal(values, np.array([[2, 1], [4, 3]], np.float32))
    values, names = read_features(path, drop=["label"])
    assert names == ["b", "a"]
    with pytest.raises(ValueError, match=r"no column 'c' .* the file has columns: b, label, a"):
        read_features(path, feature_names=["a", "c"])
