"""Op-table rows: reductions, scans, softmax, norms."""

from __future__ import annotations

import numpy as np
from op_table import Sample, row


def reduce_samples(draw="real", dims=True):
    """Full reductions and dim variants: int, negative, tuple, keepdim, size-1 and 0-d."""

    def gen(mk):
        d = getattr(mk, draw)
        out = [
            Sample((d(2, 3, 4),), desc="all"),
            Sample((d(),), desc="0-d"),
            Sample((d(1),), desc="(1,)"),
        ]
        if dims:
            out += [
                Sample((d(2, 3, 4),), {"dim": 1}),
                Sample((d(2, 3, 4),), {"dim": -1, "keepdim": True}),
                Sample((d(2, 3, 4),), {"dim": (0, 2)}),
                Sample((d(2, 3, 4),), {"dim": (-1, 0), "keepdim": True}),
                Sample((d(3, 1),), {"dim": 1}),
                Sample((d(),), {"dim": 0}),
                Sample((d(2, 3),), {"dim": 0, "keepdim": True}),
            ]
        return out

    return gen


def var_samples(mk):
    x = mk.real(3, 4)
    return [
        Sample((x,)),
        Sample((mk.real(2, 3, 4),), {"dim": 1}),
        Sample((mk.real(2, 3, 4),), {"dim": (0, 2), "keepdim": True}),
        Sample((mk.real(3, 4),), {"dim": 1, "correction": 0}),
        Sample((mk.real(3, 4),), {"dim": -1, "correction": 2}),
        Sample((mk.real(3, 4),), {"dim": 0, "unbiased": False}),
        Sample((mk.real(3, 4),), {"dim": 0, "unbiased": True, "keepdim": True}),
        Sample((mk.real(5),), {"unbiased": False}),
        Sample((mk.real(5),), {"correction": 0.5}),
    ]


def prod_samples(mk):
    x1 = mk.away(3, 4)
    x1[1, 2] = 0.0
    x2 = mk.away(3, 4)
    x2[0, 1] = x2[0, 3] = 0.0
    x3 = mk.away(2, 3, 2)
    x3[1, 1, 0] = 0.0
    return [
        Sample((mk.away(3, 4),)),
        Sample((mk.away(2, 3, 4),), {"dim": 1}),
        Sample((mk.away(2, 3),), {"dim": -1, "keepdim": True}),
        Sample((mk.away(),)),
        Sample((x1,), desc="one zero, full"),
        Sample((x1,), {"dim": 1}, desc="one zero, dim"),
        Sample((x2,), desc="two zeros, full", gradcheck=True),
        Sample((x2,), {"dim": 1}, desc="two zeros in a row"),
        Sample((x2,), {"dim": 0}, desc="zeros in separate columns"),
        Sample((x3,), {"dim": 2}),
    ]


def max_samples(mk):
    ties = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]])
    return [
        Sample((mk.distinct(2, 3, 4),)),
        Sample((mk.distinct(2, 3, 4),), {"dim": 1}),
        Sample((mk.distinct(2, 3, 4),), {"dim": -1, "keepdim": True}),
        Sample((mk.distinct(),), {"dim": 0}),
        Sample((mk.distinct(),)),
        Sample((ties,), desc="ties full", gradcheck=False),
        Sample((ties,), {"dim": 1}, desc="ties dim", gradcheck=False),
        Sample((ties,), {"dim": 0, "keepdim": True}, desc="ties dim 0", gradcheck=False),
    ]


def amax_samples(mk):
    ties = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]])
    return [
        Sample((mk.distinct(2, 3, 4),)),
        Sample((mk.distinct(2, 3, 4),), {"dim": 1}),
        Sample((mk.distinct(2, 3, 4),), {"dim": (0, 2), "keepdim": True}),
        Sample((mk.distinct(2, 3, 4),), {"dim": -1}),
        Sample((mk.distinct(),)),
        Sample((ties,), gradcheck=False),
        Sample((ties,), {"dim": 1}, gradcheck=False),
        Sample((ties,), {"dim": (0, 1)}, gradcheck=False),
    ]


def norm_samples(mk):
    z = mk.real(2, 3)
    z[1] = 0.0
    return [
        Sample((mk.real(2, 3),)),
        Sample((mk.real(2, 3),), {"p": 2}),
        Sample((mk.real(2, 3, 4),), {"p": 2, "dim": 1}),
        Sample((mk.real(2, 3, 4),), {"p": 2, "dim": (0, 2), "keepdim": True}),
        Sample((mk.away(2, 3),), {"p": 1}),
        Sample((mk.away(2, 3),), {"p": 1, "dim": 0}),
        Sample((mk.distinct(2, 3),), {"p": float("inf")}),
        Sample((mk.distinct(2, 3),), {"p": float("inf"), "dim": 1}),
        Sample((mk.distinct(2, 3),), {"p": float("-inf"), "dim": 1}),
        Sample((mk.away(2, 3),), {"p": 3, "dim": -1}),
        Sample((mk.away(2, 3),), {"p": 0.5}),
        Sample((mk.real(2, 3),), {"p": "fro"}),
        Sample((z,), {"p": 2, "dim": 1}, desc="a zero row", gradcheck=False),
        Sample((mk.real(),), {"p": 2}),
    ]


def dim_samples(mk, draw="real", shapes=((2, 3, 4),), dims=(0, 1, -1)):
    d = getattr(mk, draw)
    return [Sample((d(*s),), {"dim": dim}) for s in shapes for dim in dims]


def softmax_samples(mk):
    return [
        Sample((mk.real(2, 3, 4),), {"dim": 1}),
        Sample((mk.real(2, 3, 4),), {"dim": -1}),
        Sample((mk.real(5),), {"dim": 0}),
        Sample((mk.real(),), {"dim": 0}),
        Sample((mk.real(3, 4) * 40,), {"dim": 1}, desc="large logits"),
    ]


R = dict(gradgradcheck=True)

ROWS = [
    row("sum", reduce_samples(), **R),
    row("sum.dtype", lambda mk: [Sample((mk.real(2, 3),), {"dtype": "float64"})],
        fn=lambda m, x, dtype: m.sum(x, dtype=getattr(m, dtype)), covers=("sum",),
        method=False),
    row("nansum", reduce_samples()),
    row("mean", reduce_samples(), **R),
    row("nanmean", lambda mk: [Sample((mk.real(2, 3),)), Sample((mk.real(2, 3),), {"dim": 1})]),
    row("prod", prod_samples, **R),
    row("max", max_samples, **R),
    row("min", max_samples, **R),
    row("max.binary", lambda mk: [Sample((mk.real(2, 3), mk.real(3)))], covers=("max",)),
    row("min.binary", lambda mk: [Sample((mk.real(2, 3), mk.real(2, 1)))], covers=("min",)),
    row("amax", amax_samples, **R),
    row("amin", amax_samples, **R),
    row("aminmax", lambda mk: [Sample((mk.distinct(2, 3),)),
                               Sample((mk.distinct(2, 3),), {"dim": 1, "keepdim": True})]),
    row("var", var_samples, **R),
    row("std", var_samples, **R),
    row("var_mean", var_samples, method=False),
    row("std_mean", var_samples, method=False),
    row("logsumexp", lambda mk: [
        Sample((mk.real(2, 3, 4),), {"dim": 1}),
        Sample((mk.real(2, 3, 4),), {"dim": (0, 2), "keepdim": True}),
        Sample((mk.real(4) * 50,), {"dim": 0}, desc="large"),
        Sample((mk.real(),), {"dim": 0}),
        Sample((np.array([[-np.inf, -np.inf], [0.0, 1.0]]),), {"dim": 1}, gradcheck=False),
    ], **R),
    row("norm", norm_samples, **R),
    row("cumsum", lambda mk: dim_samples(mk) + [Sample((mk.real(),), {"dim": 0})], **R),
    row("cumprod", lambda mk: dim_samples(mk, "away") + [Sample((mk.away(),), {"dim": 0})],
        **R),
    row("softmax", softmax_samples, **R),
    row("log_softmax", softmax_samples, **R),
    row("median", lambda mk: [
        Sample((mk.distinct(3, 4),)),
        Sample((mk.distinct(3, 4),), {"dim": 1}),
        Sample((mk.distinct(3, 5),), {"dim": 0, "keepdim": True}),
        Sample((np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]]),), gradcheck=False),
    ]),
    row("kthvalue", lambda mk: [
        Sample((mk.distinct(3, 4), 2)),
        Sample((mk.distinct(3, 4), 1), {"dim": 0, "keepdim": True}),
    ]),
    row("mode", lambda mk: [Sample((np.array([[1.0, 2.0, 2.0, 0.5], [3.0, 3.0, 1.0, 1.0]]),),
                                   gradcheck=False)]),
    row("trace", lambda mk: [Sample((mk.real(3, 3),)), Sample((mk.real(2, 4),))], **R),
]
