"""Op-table rows: arithmetic, pow, unary functions, clamp/maximum/minimum/where/masked_fill."""

from __future__ import annotations

import numpy as np
from op_table import Const, Sample, row

UNARY_SHAPES = [(), (1,), (4,), (2, 3), (2, 1, 3), (0, 3)]
BINARY_SHAPES = [
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((3,), (2, 3)),
    ((2, 1), (1, 3)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((4, 1, 3), (2, 1)),
    ((1,), (1,)),
    ((0, 3), (3,)),
]


def unary_samples(domain: str):
    def gen(mk):
        draw = {
            "real": mk.real,
            "pos": mk.pos,
            "away": mk.away,
            "unit": lambda *s: mk.real(*s, low=-0.9, high=0.9),
            "gt1": lambda *s: mk.pos(*s, low=1.2, high=3.0),
            "prob": lambda *s: mk.pos(*s, low=0.1, high=0.9),
            "gtm1": lambda *s: mk.real(*s, low=-0.5, high=2.0),
            "grid": mk.off_grid,
            "small": lambda *s: mk.real(*s, low=-1.0, high=1.0),
        }[domain]
        return [Sample((draw(*shape),), desc=str(shape)) for shape in UNARY_SHAPES]

    return gen


def binary_samples(domain_a: str = "real", domain_b: str = "real"):
    def gen(mk):
        draw = {"real": mk.real, "pos": mk.pos, "away": mk.away}
        return [
            Sample((draw[domain_a](*a), draw[domain_b](*b)), desc=f"{a} {b}")
            for a, b in BINARY_SHAPES
        ]

    return gen


def scalar_samples(domain: str = "real"):
    def gen(mk):
        draw = {"real": mk.real, "pos": mk.pos, "away": mk.away}[domain]
        return [Sample((draw(*shape),), desc=str(shape)) for shape in [(), (3,), (2, 3)]]

    return gen


EW = dict(gradgradcheck=True)

UNARY = [
    ("exp", "real"), ("log", "pos"), ("log1p", "gtm1"), ("expm1", "real"), ("log2", "pos"),
    ("log10", "pos"), ("exp2", "real"), ("sqrt", "pos"), ("rsqrt", "pos"), ("sin", "real"),
    ("cos", "real"), ("tan", "small"), ("tanh", "real"), ("sigmoid", "real"), ("relu", "away"),
    ("abs", "away"), ("neg", "real"), ("asin", "unit"), ("acos", "unit"), ("atan", "real"),
    ("sinh", "real"), ("cosh", "real"), ("asinh", "real"), ("acosh", "gt1"), ("atanh", "unit"),
    ("erf", "real"), ("erfc", "real"), ("erfinv", "unit"), ("logit", "prob"),
    ("reciprocal", "away"), ("square", "real"), ("frac", "grid"), ("floor", "grid"),
    ("ceil", "grid"), ("round", "grid"), ("trunc", "grid"), ("sign", "away"),
]
ALIASES = {"abs": ("abs", "absolute"), "neg": ("neg", "negative"), "asin": ("asin", "arcsin"),
           "acos": ("acos", "arccos"), "atan": ("atan", "arctan"), "sign": ("sign", "sgn"),
           "trunc": ("trunc",)}

ROWS = [row(name, unary_samples(dom), covers=ALIASES.get(name), **EW) for name, dom in UNARY]

ROWS += [
    row("relu.at_zero", lambda mk: [Sample((np.array([-1.0, 0.0, 2.0]),), gradcheck=False)],
        covers=("relu",)),
    row("abs.at_zero", lambda mk: [Sample((np.array([-1.0, 0.0, 2.0]),), gradcheck=False)],
        covers=("abs",)),
    row("logit.eps", lambda mk: [Sample((mk.pos(2, 3, low=0.01, high=0.99),), {"eps": 0.1},
                                        gradcheck=False)], covers=("logit",)),
    row("round.decimals", lambda mk: [Sample((mk.real(2, 3),), {"decimals": 2},
                                             gradcheck=False)], covers=("round",)),
    row("nan_to_num", lambda mk: [
        Sample((mk.real(2, 3),)),
        Sample((np.array([1.0, np.nan, np.inf, -np.inf, -2.0]),), {"nan": 0.5, "posinf": 9.0},
               gradcheck=False),
    ]),
    row("sgn", unary_samples("away"), covers=("sgn",)),
]

# -- binary arithmetic: function form, operator form, reflected and scalar forms ------------

ROWS += [
    row("add", binary_samples(), **EW),
    row("add.alpha", lambda mk: [Sample((mk.real(2, 3), mk.real(3)), {"alpha": 2.5}),
                                 Sample((mk.real(2, 3), 1.5), {"alpha": 2})], covers=("add",)),
    row("sub", binary_samples(), covers=("sub", "subtract"), **EW),
    row("sub.alpha", lambda mk: [Sample((mk.real(2, 3), mk.real(3)), {"alpha": -0.5})],
        covers=("sub",)),
    row("rsub", lambda mk: [Sample((mk.real(2, 3), mk.real(3))),
                            Sample((mk.real(2, 3), 2.0), {"alpha": 3})], method=False),
    row("mul", binary_samples(), covers=("mul", "multiply"), **EW),
    row("div", binary_samples("real", "away"), covers=("div", "divide", "true_divide"), **EW),
    row("div.trunc", lambda mk: [Sample((mk.off_grid(2, 3) * 2, np.full((3,), 2.0)),
                                        {"rounding_mode": "trunc"}, gradcheck=False)],
        covers=("div",)),
    row("div.floor", lambda mk: [Sample((mk.off_grid(2, 3) * 2, np.full((3,), 2.0)),
                                        {"rounding_mode": "floor"}, gradcheck=False)],
        covers=("div", "floor_divide")),
    # torch has no derivative for floor_divide (its backward raises): forward only
    row("floor_divide", lambda mk: [Sample((mk.off_grid(2, 3) * 2, 2.0), backward=False)]),
    row("remainder", lambda mk: [Sample((mk.off_grid(2, 3) * 2, np.full((2, 3), 2.0))),
                                 Sample((mk.off_grid(4) * 2, 1.5))]),
    row("fmod", lambda mk: [Sample((mk.off_grid(2, 3) * 2, np.full((2, 3), 2.0))),
                            Sample((mk.off_grid(4) * 2, 1.5))]),
    row("maximum", binary_samples(), covers=("maximum",), **EW),
    row("minimum", binary_samples(), covers=("minimum",), **EW),
    row("maximum.ties", lambda mk: [Sample((np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0])),
                                           gradcheck=False)], covers=("maximum",)),
    row("minimum.ties", lambda mk: [Sample((np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0])),
                                           gradcheck=False)], covers=("minimum",)),
    row("fmax", binary_samples(), **EW),
    row("fmin", binary_samples(), **EW),
    row("pow.tensor_tensor", binary_samples("pos", "real"), covers=("pow",), method="pow", **EW),
    row("pow.tensor_scalar", lambda mk: [
        Sample((mk.real(2, 3), 2)), Sample((mk.real(2, 3), 3)), Sample((mk.pos(2, 3), 0.5)),
        Sample((mk.pos(2, 3), -1.5)), Sample((mk.real(2, 3), 0)), Sample((mk.real(), 1)),
        Sample((mk.pos(0, 3), 2.5)),
    ], covers=("pow",), method="pow", **EW),
    row("pow.scalar_tensor", lambda mk: [Sample((2.0, mk.real(2, 3))), Sample((0.5, mk.real(4))),
                                         Sample((3, mk.real()))],
        covers=("pow",), method=False, **EW),
]


def _op(f):
    return lambda m, *args: f(*args)


OPERATORS = [
    ("op.add", lambda x, y: x + y, binary_samples()),
    ("op.sub", lambda x, y: x - y, binary_samples()),
    ("op.mul", lambda x, y: x * y, binary_samples()),
    ("op.div", lambda x, y: x / y, binary_samples("real", "away")),
    ("op.pow", lambda x, y: x**y, binary_samples("pos", "real")),
    ("op.neg", lambda x: -x, scalar_samples()),
    ("op.pos", lambda x: +x, scalar_samples()),
    ("op.abs", lambda x: abs(x), scalar_samples("away")),
    ("op.radd", lambda x: 2.5 + x, scalar_samples()),
    ("op.add_scalar", lambda x: x + 2.5, scalar_samples()),
    ("op.add_int", lambda x: x + 2, scalar_samples()),
    ("op.rsub", lambda x: 2.5 - x, scalar_samples()),
    ("op.sub_scalar", lambda x: x - 2, scalar_samples()),
    ("op.rmul", lambda x: 3 * x, scalar_samples()),
    ("op.mul_scalar", lambda x: x * -1.5, scalar_samples()),
    ("op.rdiv", lambda x: 4.0 / x, scalar_samples("away")),
    ("op.rdiv_int", lambda x: 3 / x, scalar_samples("away")),
    ("op.div_scalar", lambda x: x / 4, scalar_samples()),
    ("op.div_scalar_inexact", lambda x: x / 3.0, scalar_samples()),
    ("op.pow_scalar", lambda x: x**2, scalar_samples()),
    ("op.pow_half", lambda x: x**0.5, scalar_samples("pos")),
    ("op.rpow", lambda x: 2**x, scalar_samples()),
    ("op.rpow_float", lambda x: 1.5**x, scalar_samples()),
    ("op.mixed", lambda x, y: (x * y - x / (y * y + 1.0)) ** 2 + 3.0 * x, binary_samples()),
]
ROWS += [row(name, gen, fn=_op(f), covers=(), method=False, **EW)
         for name, f, gen in OPERATORS]

# -- clamp, where, masked_fill, lerp, addcmul/addcdiv ------------------------------------------

ROWS += [
    row("clamp", lambda mk: [
        Sample((mk.real(2, 3),), {"min": -0.5, "max": 0.5}, gradcheck=False),
        Sample((mk.real(4),), {"min": 0.1}, gradcheck=False),
        Sample((mk.real(4),), {"max": 0.1}, gradcheck=False),
        Sample((np.array([-1.0, -0.5, 0.0, 0.5, 1.0]),), {"min": -0.5, "max": 0.5},
               gradcheck=False),
        Sample((mk.real(),), {"min": -3.0, "max": 3.0}),
    ], covers=("clamp", "clip")),
    row("clamp.tensor_bounds", lambda mk: [
        Sample((mk.real(2, 3), mk.real(3, low=-1, high=0), mk.real(2, 1, low=0, high=1)),
               gradcheck=False),
        Sample((np.array([-1.0, 0.0, 1.0]), np.array([-1.0, 0.5, 0.5]), np.array(1.0)),
               gradcheck=False),
    ], fn=lambda m, x, lo, hi: m.clamp(x, min=lo, max=hi), covers=("clamp",), method=False),
    row("clamp.tensor_min", lambda mk: [Sample((mk.real(2, 3), mk.real(3)), gradcheck=False)],
        fn=lambda m, x, lo: m.clamp(x, min=lo), covers=("clamp",), method=False),
    row("clamp.tensor_max", lambda mk: [Sample((mk.real(2, 3), mk.real(2, 3)), gradcheck=False)],
        fn=lambda m, x, hi: m.clamp(x, max=hi), covers=("clamp",), method=False),
    row("clip", lambda mk: [Sample((mk.real(2, 3), -0.5, 0.5), gradcheck=False)]),
    row("clamp_min", lambda mk: [Sample((mk.real(2, 3), 0.2), gradcheck=False)]),
    row("clamp_max", lambda mk: [Sample((mk.real(2, 3), 0.2), gradcheck=False)]),
    row("where", lambda mk: [
        Sample((mk.mask(2, 3), mk.real(2, 3), mk.real(2, 3))),
        Sample((mk.mask(2, 3), mk.real(3), mk.real(2, 1))),
        Sample((mk.mask(3), mk.real(2, 3), mk.real())),
    ], method=False, **EW),
    row("where.scalar", lambda mk: [Sample((mk.mask(2, 3), mk.real(2, 3)))],
        fn=lambda m, c, x: m.where(c, x, 0.5), covers=("where",), method=False),
    row("where.scalar_left", lambda mk: [Sample((mk.mask(2, 3), mk.real(2, 3)))],
        fn=lambda m, c, x: m.where(c, -1.0, x), covers=("where",), method=False),
    row("masked_fill", lambda mk: [
        Sample((mk.real(2, 3), mk.mask(2, 3), -1.5)),
        Sample((mk.real(2, 3), mk.mask(3), 0.0)),
        Sample((mk.real(4, 2, 3), mk.mask(2, 1), 2)),
        Sample((mk.real(2, 3), mk.mask(2, 3), float("-inf")), backward=True, gradcheck=False),
    ]),
    row("masked_fill.tensor_value", lambda mk: [
        Sample((mk.real(2, 3), mk.mask(2, 3), mk.real())),
    ], covers=("masked_fill",)),
    row("masked_fill.const_value", lambda mk: [
        Sample((mk.real(2, 3), mk.mask(2, 3), Const(mk.real()))),
    ], covers=("masked_fill",)),
    row("lerp", lambda mk: [
        Sample((mk.real(2, 3), mk.real(2, 3), 0.3)),
        Sample((mk.real(2, 3), mk.real(3), mk.real(2, 1))),
    ], **EW),
    row("addcmul", lambda mk: [
        Sample((mk.real(2, 3), mk.real(2, 3), mk.real(3)), {"value": 0.5}),
        Sample((mk.real(3), mk.real(2, 3), mk.real(2, 3))),
    ], **EW),
    row("addcdiv", lambda mk: [
        Sample((mk.real(2, 3), mk.real(2, 3), mk.away(3)), {"value": -2}),
        Sample((mk.real(3), mk.real(2, 3), mk.away(2, 3))),
    ], **EW),
    row("clone", lambda mk: [Sample((mk.real(2, 3),)), Sample((mk.real(),))]),
]
