"""Op-table rows: matrix products and einsum."""

from __future__ import annotations

from op_table import Const, Sample, row

MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)),
    ((5, 2, 3), (5, 3, 4)),
    ((2, 1, 2, 3), (5, 3, 4)),
    ((3,), (5, 3, 4)),
    ((5, 2, 3), (3,)),
    ((1, 3), (3, 1)),
    ((0, 3), (3, 4)),
    ((2, 0), (0, 4)),
]


def pairs(shapes):
    return lambda mk: [Sample((mk.real(*a), mk.real(*b)), desc=f"{a}@{b}") for a, b in shapes]


EINSUM = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("ii->", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("i,i->", [(3,), (3,)]),
    ("i,j->ij", [(3,), (2,)]),
    ("bi,bi->b", [(2, 3), (2, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("abc,cd->abd", [(2, 3, 4), (4, 2)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 4)]),
    ("...ij,jk", [(5, 2, 3), (3, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("iij->j", [(2, 2, 3)]),
    ("ijk,ik->j", [(2, 3, 4), (2, 4)]),
    ("b i j, b j -> b i", [(2, 3, 4), (2, 4)]),
]

LA = dict(gradgradcheck=True)

ROWS = [
    row("matmul", pairs(MATMUL_SHAPES), **LA),
    row("op.matmul", pairs(MATMUL_SHAPES[:8]), fn=lambda m, a, b: a @ b, covers=(),
        method=False, **LA),
    row("mm", pairs([((2, 3), (3, 4)), ((1, 1), (1, 5))]), **LA),
    row("bmm", pairs([((2, 2, 3), (2, 3, 4)), ((1, 3, 1), (1, 1, 2))]), **LA),
    row("addmm", lambda mk: [
        Sample((mk.real(2, 4), mk.real(2, 3), mk.real(3, 4))),
        Sample((mk.real(4), mk.real(2, 3), mk.real(3, 4)), {"beta": 0.5, "alpha": 2.0}),
        Sample((mk.real(), mk.real(2, 3), mk.real(3, 4)), {"alpha": -1}),
    ], **LA),
    row("addmv", lambda mk: [Sample((mk.real(2), mk.real(2, 3), mk.real(3)),
                                    {"beta": 2, "alpha": 0.5})], **LA),
    row("baddbmm", lambda mk: [Sample((mk.real(2, 2, 4), mk.real(2, 2, 3), mk.real(2, 3, 4)),
                                      {"beta": 0.5, "alpha": 2})], **LA),
    row("addbmm", lambda mk: [Sample((mk.real(2, 4), mk.real(3, 2, 3), mk.real(3, 3, 4)))],
        **LA),
    row("mv", pairs([((2, 3), (3,))]), **LA),
    row("dot", pairs([((3,), (3,)), ((1,), (1,)), ((0,), (0,))]), **LA),
    row("vdot", pairs([((3,), (3,))]), **LA),
    row("inner", pairs([((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)), ((), (2, 3))]), **LA),
    row("outer", pairs([((3,), (2,)), ((1,), (4,))]), covers=("outer", "ger"), **LA),
    row("ger", pairs([((3,), (2,))]), **LA),
    row("kron", pairs([((2, 3), (2, 2)), ((3,), (2,))]), **LA),
    row("cross", lambda mk: [Sample((mk.real(4, 3), mk.real(4, 3)), {"dim": 1}),
                             Sample((mk.real(3, 2), mk.real(3, 2)), {"dim": 0})], **LA),
    row("tensordot", lambda mk: [
        Sample((mk.real(2, 3, 4), mk.real(3, 4, 5)), {"dims": 2}),
        Sample((mk.real(2, 3), mk.real(3, 4)), {"dims": 1}),
        Sample((mk.real(2, 3, 4), mk.real(4, 2)), {"dims": ([0, 2], [1, 0])}),
    ], method=False, **LA),
    row("einsum", lambda mk: [
        Sample((eq, *(mk.real(*s) for s in shapes)), desc=eq) for eq, shapes in EINSUM
    ], method=False, **LA),
    row("einsum.list", lambda mk: [Sample(("ij,jk->ik", mk.real(2, 3), mk.real(3, 4)))],
        fn=lambda m, eq, *xs: m.einsum(eq, list(xs)), covers=("einsum",), method=False),
    row("einsum.broadcast", lambda mk: [Sample(("...ij,...jk->...ik", mk.real(1, 2, 3),
                                                mk.real(4, 3, 2)))],
        covers=("einsum",), fn=lambda m, eq, a, b: m.einsum(eq, a, b), method=False),
    row("linear", lambda mk: [
        Sample((mk.real(4, 3), mk.real(2, 3), mk.real(2))),
        Sample((mk.real(5, 4, 3), mk.real(2, 3), mk.real(2))),
        Sample((mk.real(3), mk.real(2, 3), mk.real(2))),
        Sample((mk.real(4, 3), mk.real(2, 3))),
        Sample((mk.real(4, 3), Const(mk.real(2, 3)), mk.real(2))),
    ], fn=lambda m, *a: m.linear(*a), torch_fn=lambda m, *a: m.nn.functional.linear(*a),
        covers=("linear",), method=False, **LA),
]
