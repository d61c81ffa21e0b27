# style: what learners print (big tensors summarized with ..., sci mode for tiny/huge values, negative zeros, ints/bools/uint8/float16/float64/complex, 0-d and empty tensors, nested shapes, requires_grad/grad_fn suffixes, Parameter, torch.Size/dtype/device, set_printoptions precision/sci_mode/linewidth/threshold/edgeitems, f-strings with format specs, repr of modules with custom extra_repr, state_dict / optimizer / scheduler printing)
# compat: rtol=1e-6
import numpy as np
import torch
import torch.nn as nn

print(torch.arange(2000))
print(torch.arange(2000.0).reshape(40, 50) / 7)
print(torch.arange(24).reshape(2, 3, 4))
print(torch.tensor([1e-8, 1.0, 1e8]))
print(torch.tensor([1e-5, 2e-5]), torch.tensor([123456789.0]), torch.tensor([0.1, 100000.0]))
print(torch.tensor([-0.0, 0.0, -1.5]), torch.tensor([float('nan'), 1.0]), torch.tensor([float('inf')]))
print(torch.tensor([1, -2, 3], dtype=torch.int8), torch.tensor([250], dtype=torch.uint8), torch.tensor([1.5, 2.25], dtype=torch.float16))
print(torch.tensor([1.0, 2.0], dtype=torch.float64), torch.tensor([True]), torch.tensor(5), torch.tensor(2.5), torch.tensor([]))
print(torch.zeros(0, 3), torch.ones(1, 1, 1), torch.tensor([[1.0]], requires_grad=True), torch.tensor(1.0, requires_grad=True) * 2)
print(torch.tensor([1 + 2j, -0.5j]), torch.tensor([10.0, 2.0]).int(), torch.tensor([1000000, 2]))
print(torch.tensor([0.123456789, 12.3456789]), torch.tensor([[1.0, -1.0], [0.5, 0.25]]))
print(torch.linspace(-1, 1, 7), torch.tensor([1.0, 2.0, 3.0]) / 3)
print(nn.Parameter(torch.tensor([0.5, -0.25])))
print(torch.Size([2, 3]), torch.float32, torch.int64, torch.device('cpu'), torch.tensor([1.0]).device, torch.tensor([1.0]).dtype)
print(torch.tensor([1.0, 2.0]).shape, tuple(torch.ones(2, 3).shape), list(torch.ones(2, 3).size()))
x = torch.tensor([3.14159265, 2.71828183])
print(f"{x[0]:.3f} {x[1].item():.2e} {float(x[0]):8.4f} {x.sum():.1f} {int(x[0])}")
print(str(x), repr(x), format(x[0].item(), '.4f'), '%s' % x, '{}'.format(x))
torch.set_printoptions(precision=2)
print(x, torch.tensor([1e-6, 1.0]))
torch.set_printoptions(sci_mode=False)
print(torch.tensor([1e-6, 1.0, 12345.678]))
torch.set_printoptions(threshold=5, edgeitems=2)
print(torch.arange(10), torch.arange(12).reshape(3, 4))
torch.set_printoptions(linewidth=40, threshold=1000, edgeitems=3)
print(torch.arange(30.0))
torch.set_printoptions(profile='default')
torch.set_printoptions(sci_mode=None)
print(torch.arange(30.0))
torch.set_printoptions(profile='short')
print(torch.tensor([1.23456789]))
torch.set_printoptions(profile='full')
print(torch.arange(1200)[-5:], torch.arange(1100).shape)
torch.set_printoptions(profile='default')


class Scale(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def extra_repr(self):
        return f'factor={self.factor}'

    def forward(self, x):
        return x * self.factor


model = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(4),
                      nn.ReLU(inplace=True), nn.Dropout(0.25), nn.Flatten(), nn.Linear(4, 3),
                      Scale(0.5), nn.LSTM(3, 5, num_layers=2, batch_first=True, dropout=0.1),
                      nn.Embedding(10, 3, padding_idx=0), nn.LayerNorm(3), nn.MaxPool2d(2), nn.AvgPool2d(3, stride=1),
                      nn.Softmax(dim=1), nn.LogSoftmax(dim=-1), nn.LeakyReLU(0.1), nn.GELU(), nn.Identity(),
                      nn.ConvTranspose2d(4, 2, 2, stride=2), nn.GRU(4, 4), nn.MultiheadAttention(8, 2),
                      nn.TransformerEncoderLayer(8, 2, 16), nn.Upsample(scale_factor=2), nn.AdaptiveAvgPool2d((1, 1)))
print(model)
for m in (nn.CrossEntropyLoss(), nn.MSELoss(reduction='sum'), nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0])), nn.NLLLoss(), nn.SmoothL1Loss(beta=0.5), nn.KLDivLoss(reduction='batchmean'), nn.Tanh(), nn.Sigmoid(), nn.PReLU(), nn.ELU(alpha=0.5), nn.Hardtanh(-2, 2), nn.Softplus(beta=2), nn.Threshold(0.1, 0.0), nn.ReLU6(), nn.SiLU(), nn.Mish(), nn.GroupNorm(2, 4), nn.InstanceNorm2d(3), nn.BatchNorm1d(5, momentum=0.01, affine=False), nn.Dropout2d(0.3), nn.ZeroPad2d(1), nn.PixelShuffle(2), nn.Unflatten(1, (2, 2)), nn.CosineSimilarity(dim=1), nn.PairwiseDistance(), nn.Bilinear(2, 3, 4), nn.RNNCell(3, 4), nn.LSTMCell(3, 4), nn.GRUCell(3, 4), nn.Conv1d(2, 3, 5, dilation=2), nn.Conv3d(1, 2, 3), nn.MaxPool1d(3, 2), nn.AdaptiveMaxPool2d(2), nn.EmbeddingBag(10, 3, mode='mean')):
    print(m)
lin = nn.Linear(2, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    lin.bias.zero_()
print(lin.state_dict())
print(lin.weight, lin.bias.grad)
opt = torch.optim.Adam(lin.parameters(), lr=1e-3, weight_decay=0.01)
print(opt)
print(torch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9, nesterov=True))
sched = torch.optim.lr_scheduler.StepLR(opt, 10)
print(type(sched).__name__, sched.get_last_lr(), sched.state_dict()['step_size'])
print(np.array(torch.tensor([[1.5, 2.5]])), torch.tensor([[1.5, 2.5]]).numpy().dtype, torch.tensor([1, 2]).tolist())
for row in torch.tensor([[1, 2], [3, 4]]):
    print(row, end=' | ')
print()
print(3 in torch.tensor([1, 2, 3]), len(torch.zeros(4, 2)), list(torch.tensor([1.0, 2.0])), *torch.tensor([5, 6]))
