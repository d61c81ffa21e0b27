# style: official "Tensors" / 60-minute-blitz tour plus the NumPy-habit idioms (torch.tensor/from_numpy/zeros_like/ones_like, shape/dtype/device attributes, indexing and slicing, torch.cat/stack, arithmetic with @ and .T and matmul(out=), in-place add_ shared with NumPy, bridges both ways, x.new_ones, .size(), view(-1, 8), scatter_ one-hot, torch.where with one argument, gather, index_add_, masked_select, nonzero(as_tuple=True), sort/topk/argsort, unique(return_counts), torch.einsum, broadcasting rules, type conversions and printing options)
# compat: rtol=1e-6
import numpy as np
import torch

data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
np_array = np.array(data)
x_np = torch.from_numpy(np_array)
x_ones = torch.ones_like(x_data)  # retains the properties of x_data
print(f"Ones Tensor: \n {x_ones} \n")
x_half = torch.full_like(x_data, 0.5, dtype=torch.float)  # overrides the datatype of x_data
print(f"Half Tensor: \n {x_half} \n")

shape = (2, 3,)
ones_tensor = torch.ones(shape)
zeros_tensor = torch.zeros(shape)
print(f"Ones Tensor: \n {ones_tensor} \n")
print(f"Zeros Tensor: \n {zeros_tensor}")

tensor = torch.arange(12, dtype=torch.float32).reshape(3, 4)
print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")
if torch.cuda.is_available():
    tensor = tensor.to("cuda")

tensor = torch.ones(4, 4)
print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
tensor[:, 1] = 0
print(tensor)
t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1)

# This computes the matrix multiplication between two tensors. y1, y2, y3 will have the same value
y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
# This computes the element-wise product. z1, z2, z3 will have the same value
z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)
print(y3, z3, torch.equal(y1, y3), torch.equal(z1, z3))

agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item))
print(f"{tensor} \n")
tensor.add_(5)
print(tensor)

t = torch.ones(5)
print(f"t: {t}")
n = t.numpy()
print(f"n: {n}")
t.add_(1)
print(f"t: {t}")
print(f"n: {n}")
n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
print(f"t: {t}")
print(f"n: {n}")

# the older blitz
x = torch.tensor([5.5, 3])
x = x.new_ones(5, 3, dtype=torch.double)
print(x)
print(x.size(), x.size(0), len(x), x.dim(), x.ndim, x.numel(), x.element_size())
y = torch.arange(15.0, dtype=torch.double).reshape(5, 3)
print(x + y, torch.add(x, y))
result = torch.empty(5, 3, dtype=torch.double)
torch.add(x, y, out=result)
y.add_(x)
print(result, y[:, 1])
x = torch.arange(16.0).reshape(4, 4)
y = x.view(16)
z = x.view(-1, 8)  # the size -1 is inferred from other dimensions
print(x.size(), y.size(), z.size())
print(torch.tensor([0.7]).item())

# indexing idioms from NumPy habits
labels = torch.tensor([2, 0, 1, 2])
one_hot = torch.zeros(4, 3).scatter_(1, labels.view(-1, 1), 1)
print(one_hot, torch.nn.functional.one_hot(labels, 3))
m = torch.tensor([[0.1, -2.0, 3.0], [4.0, 0.0, -6.0]])
print(torch.where(m > 0), torch.where(m > 0, m, torch.zeros_like(m)), torch.where(m > 0, m, 0.0))
print(m.nonzero(), torch.nonzero(m, as_tuple=True), m[m > 0], torch.masked_select(m, m < 0))
print(m.gather(1, torch.tensor([[2], [0]])), m.argmax(), m.argmax(dim=1), m.abs().max(dim=0))
acc = torch.zeros(3, 2)
acc.index_add_(0, torch.tensor([0, 2, 0]), torch.ones(3, 2))
print(acc)
vals, idx = torch.sort(torch.tensor([3, 1, 2, 1]), descending=True)
print(vals, idx, torch.argsort(torch.tensor([3.0, 1.0, 2.0])), torch.topk(torch.tensor([1.0, 5.0, 3.0]), 2))
print(torch.unique(torch.tensor([3, 1, 3, 2, 1]), return_counts=True), torch.tensor([3, 1, 3]).bincount())
print(torch.einsum('ij,jk->ik', m, m.T), torch.einsum('ii', torch.eye(3)), torch.einsum('i,j->ij', torch.arange(2.0), torch.arange(3.0)))
a = torch.arange(3.0).reshape(3, 1)
b = torch.arange(4.0)
print((a + b).shape, a * b, torch.broadcast_tensors(a, b)[1].shape)
print(m.int(), m.long().dtype, m.bool(), m.double().dtype, m.to(torch.int8), m.half().dtype, m.type(torch.IntTensor))
print(torch.tensor([1, 2]) / 2, torch.tensor([1, 2]) // 2, torch.tensor([5, -5]) % 3, torch.tensor([1, 2]) * 1.5, torch.tensor([True, False]) + 1)
print(torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1.5]), torch.tensor([1], dtype=torch.uint8) - 2)
torch.set_printoptions(precision=2)
print(torch.tensor([1.23456, 7.891011]), torch.tensor([[1e-5, 1.0]]), torch.tensor([123456.0, 1.0]))
torch.set_printoptions(profile='default')
print(torch.linspace(0, 1, 5), torch.logspace(0, 2, 3), torch.arange(0, 1, 0.25), torch.eye(2), torch.diag(torch.tensor([1, 2])))
print(torch.tril(torch.ones(3, 3)), torch.triu(torch.ones(3, 3), diagonal=1), torch.flip(torch.arange(4), [0]), torch.roll(torch.arange(4), 1))
print(torch.chunk(torch.arange(7), 3), torch.split(torch.arange(7), [3, 4]), torch.arange(6).reshape(2, 3).unbind(1))
print(torch.clamp(torch.tensor([-2.0, 0.5, 3.0]), min=0, max=1), torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5])), torch.tensor([1.26]).round(decimals=1))
print(torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-9])), torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1])))
print(torch.tensor(3) ** 2, torch.tensor(2.0) ** torch.tensor([1, 2]), torch.sqrt(torch.tensor([4.0, 9.0])), torch.exp(torch.tensor(1.0)))
print(torch.max(torch.tensor([1, 5, 3])), torch.mean(torch.tensor([1.0, 2.0])), torch.std(torch.tensor([1.0, 2.0, 4.0])), torch.var(torch.tensor([1.0, 2.0, 4.0]), unbiased=False))
print(torch.cumsum(torch.arange(5), 0), torch.prod(torch.tensor([1, 2, 3])), torch.tensor([[1, 2], [3, 4]]).sum(dim=0, keepdim=True), torch.tensor([1.0, float('nan')]).nansum())
