"""``SummaryWriter``: scalars, histograms and text as TensorBoard events (protobufs from the
``tensorboard`` package; no torch needed)."""

from __future__ import annotations

import os
import socket
import time
from datetime import datetime

import numpy as np

__all__ = ["SummaryWriter"]


def _numpy(value) -> np.ndarray:
    from ..._tensor import Tensor

    if isinstance(value, Tensor):
        return np.asarray(value.detach().cpu()._data)
    return np.asarray(value)


def _scalar(value) -> float:
    array = _numpy(value)
    if array.size != 1:
        raise ValueError(f"scalar should be 0D, got an array of shape {array.shape}")
    return float(array.reshape(()))


class SummaryWriter:
    """Writes events for TensorBoard to ``log_dir`` (default ``runs/<date>_<host><comment>``).

    Supported: ``add_scalar``, ``add_scalars``, ``add_histogram``, ``add_text``, ``flush``,
    ``close``; ``add_graph``/``add_image``/``add_embedding``/``add_hparams`` raise
    NotImplementedError.
    """

    def __init__(self, log_dir: str | None = None, comment: str = "", purge_step=None,
                 max_queue: int = 10, flush_secs: int = 120, filename_suffix: str = "") -> None:
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        if not log_dir:
            stamp = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")
        self.log_dir = str(log_dir)
        self._max_queue, self._flush_secs, self._suffix = max_queue, flush_secs, filename_suffix
        self._writer = EventFileWriter(self.log_dir, max_queue, flush_secs, filename_suffix)
        self._children: dict[str, SummaryWriter] = {}

    def get_logdir(self) -> str:
        return self.log_dir

    def _add_summary(self, summary, global_step, walltime) -> None:
        from tensorboard.compat.proto.event_pb2 import Event

        event = Event(summary=summary, wall_time=time.time() if walltime is None else walltime)
        if global_step is not None:
            event.step = int(global_step)
        self._writer.add_event(event)

    def add_scalar(self, tag: str, scalar_value, global_step=None, walltime=None,
                   new_style: bool = False, double_precision: bool = False) -> None:
        from tensorboard.compat.proto.summary_pb2 import Summary

        value = Summary.Value(tag=tag, simple_value=_scalar(scalar_value))
        self._add_summary(Summary(value=[value]), global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict, global_step=None,
                    walltime=None) -> None:
        """One sub-run per key (``log_dir/main_tag_key``), as torch lays them out."""
        for key, value in tag_scalar_dict.items():
            path = os.path.join(self.log_dir, f"{main_tag.replace('/', '_')}_{key}")
            child = self._children.get(path)
            if child is None:
                child = self._children[path] = SummaryWriter(
                    path, max_queue=self._max_queue, flush_secs=self._flush_secs,
                    filename_suffix=self._suffix)
            child.add_scalar(main_tag, value, global_step, walltime)

    def add_histogram(self, tag: str, values, global_step=None, bins="tensorflow",
                      walltime=None, max_bins=None) -> None:
        from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary

        array = _numpy(values).astype(np.float64).reshape(-1)
        if array.size == 0:
            raise ValueError("The histogram is empty, please file a bug report.")
        edges = 30 if bins == "tensorflow" else bins
        counts, limits = np.histogram(array, bins=edges)
        hist = HistogramProto(min=float(array.min()), max=float(array.max()),
                              num=int(array.size), sum=float(array.sum()),
                              sum_squares=float((array * array).sum()),
                              bucket_limit=limits[1:].tolist(), bucket=counts.tolist())
        self._add_summary(Summary(value=[Summary.Value(tag=tag, histo=hist)]), global_step,
                          walltime)

    def add_text(self, tag: str, text_string: str, global_step=None, walltime=None) -> None:
        from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
        from tensorboard.compat.proto.tensor_pb2 import TensorProto
        from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto

        metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text"))
        tensor = TensorProto(dtype="DT_STRING", string_val=[text_string.encode("utf_8")],
                             tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]))
        value = Summary.Value(tag=tag + "/text_summary", metadata=metadata, tensor=tensor)
        self._add_summary(Summary(value=[value]), global_step, walltime)

    def _unsupported(self, name: str):
        raise NotImplementedError(
            f"SummaryWriter.{name} is not supported by chainrule (scalars, histograms and text "
            "are)"
        )

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True):
        self._unsupported("add_graph")

    def add_image(self, *args, **kwargs):
        self._unsupported("add_image")

    def add_images(self, *args, **kwargs):
        self._unsupported("add_images")

    def add_figure(self, *args, **kwargs):
        self._unsupported("add_figure")

    def add_embedding(self, *args, **kwargs):
        self._unsupported("add_embedding")

    def add_hparams(self, *args, **kwargs):
        self._unsupported("add_hparams")

    def flush(self) -> None:
        self._writer.flush()
        for child in self._children.values():
            child.flush()

    def close(self) -> None:
        self._writer.close()
        for child in self._children.values():
            child.close()

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
