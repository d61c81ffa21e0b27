"""``torch.onnx``: export to ONNX is not available in chainrule (there is no traced graph IR)."""

from __future__ import annotations

__all__ = [
    "OperatorExportTypes",
    "TrainingMode",
    "dynamo_export",
    "export",
    "is_in_onnx_export",
]


def export(model, args=(), f=None, *pos, **kwargs):
    """Raises NotImplementedError: chainrule cannot export ONNX models."""
    raise NotImplementedError(
        "torch.onnx.export is not supported by chainrule (no ONNX exporter); save the weights "
        "with torch.save(model.state_dict(), path) instead"
    )


def dynamo_export(*args, **kwargs):
    raise NotImplementedError("torch.onnx.dynamo_export is not supported by chainrule")


def is_in_onnx_export() -> bool:
    return False


class TrainingMode:
    EVAL = 0
    PRESERVE = 1
    TRAINING = 2


class OperatorExportTypes:
    ONNX = 0
    ONNX_ATEN = 1
    ONNX_ATEN_FALLBACK = 2
    ONNX_FALLTHROUGH = 3
