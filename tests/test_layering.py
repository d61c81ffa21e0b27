"""Layers import downward only (shared/DESIGN.md): a module may import its own layer or a lower
one, never a higher one — also not lazily inside a function. The facade modules that assemble
the public ``chainrule.*`` surface (``chainrule/__init__``, ``_toplevel``, ``_aliases*``) may
import anything."""

from __future__ import annotations

import ast
from pathlib import Path

import chainrule

ROOT = Path(chainrule.__file__).parent

# lowest first; a module belongs to the layer of its longest matching prefix
LAYERS: list[tuple[str, list[str]]] = [
    ("backend and dtypes", ["_backend", "_dtypes", "_size", "version", "return_types",
                            "_memory", "_fp"]),
    ("tensor and autograd", ["_tensor", "_tensor_conversion", "_creation", "_random", "_legacy",
                             "_printing", "autograd", "_torch_rng"]),
    ("ops", ["ops", "_tensor_methods", "_numpy_interop", "autograd.functional", "linalg",
             "special", "fft", "random", "testing"]),
    ("nn.functional", ["nn.functional", "nn.parameter", "nn.init"]),
    ("nn modules", ["nn", "distributions", "func", "amp", "cuda", "cpu", "backends", "distributed",
                    "onnx",
                    "jit", "accelerator", "mps", "multiprocessing", "hub", "profiler", "types",
                    "compiler", "overrides", "library"]),
    ("optim", ["optim"]),
    ("utils.data", ["utils"]),
    ("datasets", ["datasets"]),
    ("serialization", ["serialization", "_serialization_torchzip",
                       "_serialization_safetensors", "_serialization_scan"]),
    ("teach", ["teach"]),
    ("cli", ["cli", "__main__"]),
]
FACADES = {"", "_toplevel", "_aliases", "_aliases_functional", "_aliases_state"}


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and (best is None or len(p) > best[1]):
                best = (i, len(p))
    return None if best is None else best[0]


def _imports(path: Path, module: str):
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [p for p in package if p]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                yield ".".join(base + [node.module]), node.lineno
            else:
                for alias in node.names:
                    yield ".".join(base + [alias.name]), node.lineno
        elif node.module and node.module.startswith("chainrule."):
            yield node.module[len("chainrule."):], node.lineno


def test_layers_import_downward_only() -> None:
    violations = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(p for p in parts if p != "__init__")
        if module in FACADES:
            continue
        own = _layer(module)
        if own is None:
            continue
        for target, line in _imports(path, module):
            layer = _layer(target)
            if layer is not None and layer > own and target not in FACADES:
                violations.append(
                    f"{module} ({LAYERS[own][0]}) imports {target} ({LAYERS[layer][0]}) "
                    f"at line {line}"
                )
    assert not violations, "upward imports:\n" + "\n".join(violations)


def test_every_module_has_a_layer() -> None:
    missing = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(p for p in parts if p != "__init__")
        if module not in FACADES and _layer(module) is None:
            missing.append(module)
    assert not missing, f"modules with no layer in tests/test_layering.py: {missing}"
