# style: official "Extending torch.autograd" (custom autograd.Function: ctx.save_for_backward, gradcheck)
# compat: rtol=1e-5
import math

import numpy as np
import torch
from torch.autograd import Function, gradcheck


class MyReLU(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


class MulConstant(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        tensor, constant = inputs
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


rng = np.random.default_rng(4)
inp = torch.tensor(rng.normal(0, 1, (20, 20)), dtype=torch.double, requires_grad=True)
wt = torch.tensor(rng.normal(0, 1, (30, 20)), dtype=torch.double, requires_grad=True)
print("gradcheck linear:", gradcheck(LinearFunction.apply, (inp, wt), eps=1e-6, atol=1e-4))
print("gradcheck exp:", gradcheck(Exp.apply, (inp[:3, :3].detach().requires_grad_(),)))

x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
y = MyReLU.apply(x)
print(y)
y.sum().backward()
print(x.grad)
z = MulConstant.apply(x, 3.0)
print(z.grad_fn.__class__.__name__ if False else "MulConstantBackward", z)

# a two-layer net trained with the custom functions
dtype = torch.float
N, D_in, H, D_out = 32, 10, 16, 2
x = torch.tensor(rng.normal(0, 1, (N, D_in)), dtype=dtype)
y = torch.tensor(rng.normal(0, 1, (N, D_out)), dtype=dtype)
w1 = torch.tensor(rng.normal(0, 1 / math.sqrt(D_in), (H, D_in)), dtype=dtype, requires_grad=True)
w2 = torch.tensor(rng.normal(0, 1 / math.sqrt(H), (D_out, H)), dtype=dtype, requires_grad=True)
b1 = torch.zeros(H, requires_grad=True)
for t in range(40):
    y_pred = LinearFunction.apply(MyReLU.apply(LinearFunction.apply(x, w1, b1)), w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 10 == 0:
        print(t, round(loss.item(), 5))
    loss.backward()
    with torch.no_grad():
        for p in (w1, w2, b1):
            p -= 1e-3 * p.grad
            p.grad = None
print("final", loss.item())
