"""Op-table rows: views and copies that move elements around."""

from __future__ import annotations

from op_table import Sample, row


def one(*samples):
    return lambda mk: [s(mk) for s in samples]


def x(*shape, **kwargs):
    """A sample of one real tensor of ``shape`` plus positional extras/kwargs."""
    extra = kwargs.pop("args", ())
    return lambda mk: Sample((mk.real(*shape), *extra), kwargs)


def meth(name):
    """The Tensor-method spelling (torch has no function form, or only the method takes
    varargs)."""
    return dict(fn=lambda m, x, *a, **k: getattr(x, name)(*a, **k), covers=(name,), method=False)


ROWS = [
    row("reshape", one(x(2, 3, args=((3, 2),)), x(2, 3, args=((-1,),)), x(args=((1, 1),)),
                       x(2, 3, 4, args=((4, -1, 2),)), x(0, 3, args=((3, 0),)))),
    row("reshape.varargs", one(x(2, 3, args=(3, 2)), x(6, args=(-1, 3))), **meth("reshape")),
    row("view", one(x(2, 3, args=((3, 2),)), x(2, 3, args=(6,)), x(4, args=(2, -1))),
        **meth("view")),
    row("view_as", lambda mk: [Sample((mk.real(2, 3), mk.real(3, 2)))], **meth("view_as")),
    row("reshape_as", lambda mk: [Sample((mk.real(2, 3), mk.real(3, 2)))],
        **meth("reshape_as")),
    row("ravel", one(x(2, 3), x())),
    row("flatten", one(x(2, 3, 4), x(), x(2, 3, 4, start_dim=1), x(2, 3, 4, end_dim=-2),
                       x(2, 3, 4, 5, start_dim=1, end_dim=2), x(3))),
    row("unflatten", one(x(2, 12, args=(1, (3, 4))), x(6, args=(0, (2, -1))),
                         x(2, 6, args=(-1, (3, 2))))),
    row("squeeze", one(x(2, 1, 3, 1), x(2, 1, 3, dim=1), x(2, 1, 3, dim=0),
                       x(1, 2, 1, dim=(0, 2)), x(1), x(), x(2, 1, dim=-1))),
    row("unsqueeze", one(x(2, 3, dim=0), x(2, 3, dim=-1), x(2, 3, dim=1), x(dim=0))),
    row("permute", one(x(2, 3, 4, args=((2, 0, 1),)), x(2, 3, args=((-1, 0),)), x(args=((),)))),
    row("permute.varargs", one(x(2, 3, 4, args=(1, 2, 0))), **meth("permute")),
    row("transpose", one(x(2, 3, 4, args=(0, 2)), x(2, 3, args=(-1, -2)), x(3, args=(0, 0))),
        covers=("transpose", "swapaxes", "swapdims")),
    row("t", one(x(2, 3), x(3), x())),
    row("movedim", one(x(2, 3, 4, args=(0, -1)), x(2, 3, 4, args=((0, 1), (2, 0))))),
    row("moveaxis", one(x(2, 3, 4, args=(2, 0)))),
    row("expand", one(x(3, 1, args=(3, 4)), x(1, 3, args=(2, -1, 3)), x(args=(2, 2)),
                      x(3, args=((2, 3),)), x(2, 3, args=(2, 3))), **meth("expand")),
    row("expand_as", lambda mk: [Sample((mk.real(3, 1), mk.real(2, 3, 4)))],
        **meth("expand_as")),
    row("broadcast_to", one(x(3, 1, args=((2, 3, 5),)))),
    row("broadcast_tensors", lambda mk: [Sample((mk.real(3, 1), mk.real(4), mk.real()))],
        method=False),
    row("repeat", one(x(2, 3, args=(2, 1)), x(3, args=(2, 2)), x(2, 1, args=(1, 3, 2)),
                      x(args=(3,)), x(2, 3, args=((1, 2),))), **meth("repeat")),
    row("tile", one(x(2, 3, args=((2,),)), x(2, 3, args=((2, 1, 2),)))),
    row("repeat_interleave", one(x(2, 3, args=(2,)), x(2, 3, args=(2,), dim=1))),
    row("flip", one(x(2, 3, 4, args=((0, 2),)), x(2, 3, args=((-1,),)), x(args=((),)))),
    row("flip.varargs", one(x(2, 3, 4, args=(0, 2)), x(2, 3, args=(-1,))), **meth("flip")),
    row("fliplr", one(x(2, 3))),
    row("flipud", one(x(2, 3))),
    row("roll", one(x(2, 3, args=(1,)), x(2, 3, args=(1, 0)), x(2, 3, args=((1, -2), (0, 1))),
                    x(4, args=(-5, 0)), x(2, 3, 4, args=(2, -1)))),
    row("cat", lambda mk: [
        Sample((mk.real(2, 3), mk.real(1, 3), mk.real(4, 3)), {"dim": 0}),
        Sample((mk.real(2, 3), mk.real(2, 1)), {"dim": -1}),
        Sample((mk.real(2, 3), mk.real(0, 3)), {"dim": 0}),
        Sample((mk.real(3),), {"dim": 0}),
    ], fn=lambda m, *xs, **kw: m.cat(list(xs), **kw), covers=("cat", "concat", "concatenate"),
        method=False),
    row("stack", lambda mk: [
        Sample((mk.real(2, 3), mk.real(2, 3), mk.real(2, 3)), {"dim": 0}),
        Sample((mk.real(2, 3), mk.real(2, 3)), {"dim": -1}),
        Sample((mk.real(2, 3), mk.real(2, 3)), {"dim": 1}),
        Sample((mk.real(), mk.real()), {"dim": 0}),
    ], fn=lambda m, *xs, **kw: m.stack(list(xs), **kw), method=False),
    *[row(name, lambda mk: [Sample((mk.real(2, 3), mk.real(2, 3))),
                            Sample((mk.real(3), mk.real(3)))],
          fn=lambda m, *xs, _n=name: getattr(m, _n)(list(xs)), method=False)
      for name in ("hstack", "vstack", "dstack", "column_stack")],
    row("split", one(x(5, 3, args=(2,)), x(5, 3, args=([1, 4],)), x(2, 6, args=(3, 1)),
                     x(2, 6, args=([2, 0, 4], -1)))),
    row("chunk", one(x(5, 3, args=(2,)), x(6, 2, args=(3,)), x(2, 7, args=(3, 1)))),
    row("unbind", one(x(3, 2), x(3, 2, args=(1,)), x(2, 3, 4, dim=-1))),
    row("tril", one(x(3, 4), x(3, 4, diagonal=1), x(2, 3, 3, diagonal=-1))),
    row("triu", one(x(3, 4), x(4, 3, diagonal=-1), x(2, 3, 3, diagonal=2))),
    row("narrow", one(x(5, 3, args=(0, 1, 3)), x(2, 6, args=(-1, 2, 4)), x(5, args=(0, -2, 2)))),
    row("select", one(x(3, 4, args=(0, 1)), x(3, 4, args=(1, -1)), x(2, 3, 4, args=(2, 0)))),
    row("diagonal", one(x(3, 4), x(3, 4, offset=1), x(4, 3, offset=-2),
                        x(2, 3, 3, dim1=1, dim2=2), x(2, 3, 4, offset=1, dim1=0, dim2=2))),
    row("diag", one(x(3), x(3, args=(1,)), x(3, 4), x(3, 4, args=(-1,)))),
    row("diag_embed", one(x(3), x(2, 3), x(2, 3, offset=1))),
    row("atleast_1d", one(x(), x(3)), method=False),
    row("atleast_2d", one(x(), x(3), x(2, 3)), method=False),
    row("meshgrid", lambda mk: [Sample((mk.real(3), mk.real(2)), {"indexing": "ij"}),
                                Sample((mk.real(3), mk.real(2)), {"indexing": "xy"})],
        method=False),
]
