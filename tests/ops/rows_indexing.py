"""Op-table rows: indexing reads and writes, gather/scatter, sort/topk."""

from __future__ import annotations

import numpy as np
from op_table import Sample, row

# x[index] for every index kind; the index is built per library by ``make(m)``.
GETITEM = [
    ("int", lambda m: 1),
    ("neg int", lambda m: -1),
    ("slice", lambda m: slice(1, 3)),
    ("step", lambda m: (slice(None, None, 2), slice(1, None, 2))),
    ("none", lambda m: None),
    ("ellipsis", lambda m: (Ellipsis, 1)),
    ("none mid", lambda m: (slice(None), None, slice(1, None))),
    ("int+ellipsis+none", lambda m: (1, Ellipsis, None)),
    ("list", lambda m: [0, 2, 2]),
    ("two lists", lambda m: ([0, 2, 1], [1, 0, 1])),
    ("slice+list", lambda m: (slice(None), [0, 3, 0])),
    ("int+list", lambda m: (0, [1, 2])),
    ("long tensor", lambda m: m.tensor([2, 0, 2])),
    ("2-d long tensor", lambda m: m.tensor([[0, 1], [2, 2]])),
    ("0-d long tensor", lambda m: m.tensor(1)),
    ("bool mask", lambda m: m.tensor([[True, False, True, False], [False, False, True, True],
                                      [True, True, True, False]])),
    ("row mask", lambda m: m.tensor([True, False, True])),
    ("mask+slice", lambda m: (m.tensor([True, False, True]), slice(1, 3))),
    ("split adv", lambda m: (m.tensor([0, 2]), slice(None), m.tensor([1, 1]))),
]


def _getitem_fn(make):
    return lambda m, x: x[make(m)]


ROWS = []
for desc, make in GETITEM:
    shape = (3, 2, 4) if desc == "split adv" else (3, 4)
    ROWS.append(row(f"getitem.{desc}", lambda mk, _s=shape: [Sample((mk.real(*_s),))],
                    fn=_getitem_fn(make), covers=("getitem",), method=False))

# y = x.clone(); y[index] = v  (index_put on a non-leaf, as training code writes it)
SETITEM = [
    ("int", lambda m: 1, (4,)),
    ("slice", lambda m: (slice(None), slice(1, 3)), (3, 2)),
    ("broadcast", lambda m: slice(0, 2), (4,)),
    ("list", lambda m: [0, 2], (2, 4)),
    ("mask", lambda m: m.tensor([[True, False, True, False], [False, False, True, True],
                                 [True, True, True, False]]), (7,)),
    ("long tensor", lambda m: (m.tensor([2, 0]), m.tensor([1, 3])), (2,)),
    ("ellipsis", lambda m: (Ellipsis, 0), (3,)),
    ("scalar value", lambda m: (slice(None), 0), ()),
]


def _setitem_fn(make):
    def fn(m, x, v):
        y = x.clone()
        y[make(m)] = v
        return y

    return fn


for desc, make, vshape in SETITEM:
    ROWS.append(row(f"setitem.{desc}", lambda mk, _v=vshape: [Sample((mk.real(3, 4),
                                                                      mk.real(*_v)))],
                    fn=_setitem_fn(make), covers=("index_put",), method=False))


def _setitem_float(m, x):
    y = x.clone()
    y[0, 1:] = 2.5
    y[x > 1.0] = 0.0
    return y


ROWS += [
    row("setitem.python_values", lambda mk: [Sample((mk.real(3, 4),), gradcheck=False)],
        fn=_setitem_float, covers=(), method=False),
    row("index_put", lambda mk: [
        Sample((mk.real(3, 4), np.array([0, 2]), mk.real(4))),
        Sample((mk.real(3, 4), np.array([0, 2, 0]), mk.real(4)), {"accumulate": True}),
        Sample((mk.real(3, 4), np.array([1, 2]), mk.real(2, 4))),
    ], fn=lambda m, x, i, v, **kw: m.index_put(x, (i,), v, **kw), method=False),
    row("gather", lambda mk: [
        Sample((mk.real(3, 4), 1, mk.index(3, 2, high=4))),
        Sample((mk.real(3, 4), 0, mk.index(5, 4, high=3))),
        Sample((mk.real(3, 4), -1, mk.index(2, 2, high=4)), desc="index smaller than input"),
        Sample((mk.real(2, 3, 4), 2, mk.index(2, 3, 6, high=4))),
        Sample((mk.real(4), 0, np.array([3, 3, 0]))),
    ]),
    row("take_along_dim", lambda mk: [
        Sample((mk.real(3, 4), mk.index(3, 2, high=4), 1)),
        Sample((mk.real(3, 4), mk.index(5, high=12))),
    ]),
    row("scatter", lambda mk: [
        Sample((mk.real(3, 5), 1, mk.perm_index((3, 2), 1, 5), mk.real(3, 2))),
        Sample((mk.real(3, 5), 0, mk.perm_index((2, 5), 0, 3), mk.real(2, 5))),
        # torch's own backward rejects a src larger than index: forward only
        Sample((mk.real(3, 5), 1, mk.perm_index((2, 2), 1, 5), mk.real(3, 4)),
               desc="src larger than index", backward=False),
    ]),
    row("scatter.value", lambda mk: [
        Sample((mk.real(3, 5), 1, mk.index(3, 2, high=5)), {"value": 1.5}),
    ], covers=("scatter",)),
    row("scatter_add", lambda mk: [
        Sample((mk.real(3, 5), 1, mk.index(3, 4, high=5), mk.real(3, 4))),
        Sample((mk.real(3, 5), 0, mk.index(4, 5, high=3), mk.real(4, 5))),
    ]),
    row("scatter_reduce", lambda mk: [
        Sample((mk.real(3, 5), 1, mk.index(3, 4, high=5), mk.real(3, 4), "sum")),
    ]),
    row("index_select", lambda mk: [
        Sample((mk.real(3, 4), 0, np.array([2, 0, 2]))),
        Sample((mk.real(3, 4), -1, np.array([1]))),
        Sample((mk.real(3, 4), 1, np.zeros(0, dtype=np.int64))),
        Sample((mk.real(5), 0, np.array([4, 1]))),
    ]),
    row("index_add", lambda mk: [
        Sample((mk.real(5, 3), 0, np.array([0, 4, 2, 0]), mk.real(4, 3))),
        Sample((mk.real(3, 5), 1, np.array([1, 1]), mk.real(3, 2)), {"alpha": 2.0}),
    ]),
    row("index_fill", lambda mk: [Sample((mk.real(3, 4), 1, np.array([0, 2]), -1.0))]),
    row("masked_select", lambda mk: [
        Sample((mk.real(2, 3), mk.mask(2, 3))),
        Sample((mk.real(2, 3), mk.mask(3))),
        Sample((mk.real(3), mk.mask(2, 3))),
    ]),
    row("masked_scatter", lambda mk: [Sample((mk.real(2, 3), mk.mask(2, 3), mk.real(6))),
                                      Sample((mk.real(2, 3), mk.mask(3), mk.real(7)))]),
    row("take", lambda mk: [Sample((mk.real(2, 3), np.array([0, 5, 5, 2])))]),
    row("sort", lambda mk: [
        Sample((mk.distinct(3, 4),)),
        Sample((mk.distinct(3, 4),), {"dim": 0}),
        Sample((mk.distinct(3, 4),), {"dim": -1, "descending": True}),
        Sample((mk.distinct(5),), {"stable": True}),
        Sample((mk.distinct(),)),
        Sample((np.array([2.0, 1.0, 2.0, 1.0]),), {"stable": True}, gradcheck=False),
        Sample((np.array([2.0, 1.0, 2.0, 1.0]),), {"descending": True, "stable": True},
               gradcheck=False),
    ]),
    row("msort", lambda mk: [Sample((mk.distinct(3, 4),))]),
    row("topk", lambda mk: [
        Sample((mk.distinct(3, 5), 2)),
        Sample((mk.distinct(3, 5), 2), {"dim": 0, "largest": False}),
        Sample((mk.distinct(6), 3), {"sorted": True}),
        Sample((mk.distinct(6), 0)),
    ]),
]
