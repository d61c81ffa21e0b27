# style: feature extraction and fine-tuning idioms (register_forward_hook storing activation[name] = output.detach(), handle.remove(), register_full_backward_hook, register_buffer + named_buffers, nn.ModuleDict/ModuleList/ParameterList, named_modules/children, freezing with requires_grad_(False) / param.requires_grad = False, filter(lambda p: p.requires_grad, ...), parameter groups with their own lr, replacing the head (model.fc = nn.Linear(...)), @torch.no_grad() decorator, torch.set_grad_enabled, strict=False loading of a backbone)
# compat: rtol=2e-5
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1))
        self.register_buffer('mean', torch.tensor([0.5]))
        self.register_buffer('step', torch.zeros((), dtype=torch.long), persistent=False)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        self.step += 1
        x = self.features(x - self.mean.view(1, -1, 1, 1))
        return self.fc(torch.flatten(x, 1))


class MultiHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({'digit': nn.Linear(8, 10), 'parity': nn.Linear(8, 2)})
        self.blocks = nn.ModuleList([nn.Linear(8, 8) for _ in range(2)])
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(8)) for _ in range(2)])

    def forward(self, h):
        for block, scale in zip(self.blocks, self.scales):
            h = F.relu(block(h)) * scale
        return {name: head(h) for name, head in self.heads.items()}


def numpy_init(module, seed):
    r = np.random.RandomState(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.from_numpy(r.uniform(-0.4, 0.4, p.shape).astype(np.float32)))


model = Backbone()
numpy_init(model, 0)
print([n for n, _ in model.named_buffers()], list(model.state_dict().keys()))
print([name for name, _ in model.named_modules()])
print([type(c).__name__ for c in model.children()])

rs = np.random.RandomState(1)
x = torch.from_numpy(rs.rand(6, 1, 8, 8).astype(np.float32))
y = torch.from_numpy(rs.randint(0, 10, 6))

activation = {}


def get_activation(name):
    def hook(model, input, output):
        activation[name] = output.detach()
    return hook


handles = [model.features[2].register_forward_hook(get_activation('pool1')),
           model.features[5].register_forward_hook(get_activation('gap'))]
grads = {}
bh = model.fc.register_full_backward_hook(lambda m, gin, gout: grads.__setitem__('fc', gout[0].detach()))
out = model(x)
F.cross_entropy(out, y).backward()
print(activation['pool1'].shape, activation['gap'].flatten(1)[0], grads['fc'][0])
for h in handles:
    h.remove()
bh.remove()
activation.clear()
model(x)
print('hooks removed:', activation == {}, model.step.item())


@torch.no_grad()
def extract_features(net, images):
    return torch.flatten(net.features(images - net.mean.view(1, -1, 1, 1)), 1)


feats = extract_features(model, x)
print(feats.requires_grad, feats.shape, feats[0, :3])
with torch.set_grad_enabled(False):
    print(model(x).requires_grad)
print(torch.is_grad_enabled())

# fine-tuning: freeze the backbone, replace the head, train only what requires grad
pretrained = model.state_dict()
model2 = Backbone()
result = model2.load_state_dict({k: v for k, v in pretrained.items() if not k.startswith('fc.')}, strict=False)
print(result.missing_keys, result.unexpected_keys)
for param in model2.parameters():
    param.requires_grad = False
model2.fc = nn.Linear(8, 10)
numpy_init(model2.fc, 2)
trainable = [n for n, p in model2.named_parameters() if p.requires_grad]
print(trainable, sum(p.numel() for p in model2.parameters() if p.requires_grad))
optimizer = torch.optim.SGD(filter(lambda p: p.requires_grad, model2.parameters()), lr=0.5, momentum=0.9)
for step in range(10):
    optimizer.zero_grad()
    loss = F.cross_entropy(model2(x), y)
    loss.backward()
    optimizer.step()
print('frozen conv grad:', model2.features[0].weight.grad, 'loss', loss.item())

# unfreeze the last conv with a smaller lr (parameter groups)
model2.features[3].requires_grad_(True)
optimizer = torch.optim.Adam([
    {'params': model2.features[3].parameters(), 'lr': 1e-3},
    {'params': model2.fc.parameters()},
], lr=1e-2)
print([g['lr'] for g in optimizer.param_groups], [len(g['params']) for g in optimizer.param_groups])
for step in range(10):
    optimizer.zero_grad()
    loss = F.cross_entropy(model2(x), y)
    loss.backward()
    optimizer.step()
print('after unfreezing', loss.item(), model2.features[3].weight.grad.abs().sum().item() > 0)

heads = MultiHead()
numpy_init(heads, 3)
print(heads)
outs = heads(feats)
print({k: tuple(v.shape) for k, v in outs.items()}, len(list(heads.parameters())))
total = F.cross_entropy(outs['digit'], y) + F.cross_entropy(outs['parity'], y % 2)
total.backward()
print(total, heads.scales[0].grad[:3], heads.heads['parity'].bias.grad)
