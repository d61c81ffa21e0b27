# style: gradient accumulation + mixed printing (loss = loss / accumulation_steps, step every N micro-batches, check against the full-batch gradient, print(model), print(x), print(loss), print(x.shape, x.dtype), print(f"{acc:.2%}"), print(param.grad), print(optimizer), print(model.state_dict().keys()), named_parameters table, .item() formatting)
# compat: rtol=2e-5
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rs = np.random.RandomState(7)
X = torch.from_numpy(rs.randn(64, 5).astype(np.float32))
w_true = torch.tensor([[1.0], [-2.0], [0.5], [0.0], [3.0]])
y = (X @ w_true > 0).long().squeeze(1)
print(X.shape, X.dtype, y.shape, y.dtype)
print(X[:2])
print(y[:10])


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 16)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.bn(self.fc1(x))))


def make():
    m = Model()
    r = np.random.RandomState(0)
    m.load_state_dict({k: (torch.from_numpy(r.uniform(-0.5, 0.5, v.shape).astype(np.float32))
                           if v.dtype == torch.float32 and 'running' not in k else v)
                       for k, v in m.state_dict().items()})
    return m


model = make()
print(model)
print(model.state_dict().keys())
for name, param in model.named_parameters():
    print(f'{name:<12} {str(tuple(param.shape)):<10} {param.numel():>4} {param.requires_grad}')
print(model.bn.running_mean[:4], model.bn.num_batches_tracked)

# gradient of one full batch vs the sum of 4 scaled micro-batch gradients (BatchNorm in eval so
# the batch statistics don't differ between the two)
model.eval()
full = F.cross_entropy(model(X), y)
full.backward()
g_full = model.fc1.weight.grad.clone()
print(full)
print(model.fc2.bias.grad)
model.zero_grad()
accumulation_steps = 4
for i, (xb, yb) in enumerate(zip(X.chunk(accumulation_steps), y.chunk(accumulation_steps))):
    loss = F.cross_entropy(model(xb), yb) / accumulation_steps
    loss.backward()
print(loss)
print('same gradient:', torch.allclose(model.fc1.weight.grad, g_full, atol=1e-6),
      (model.fc1.weight.grad - g_full).abs().max().item() < 1e-6)

model = make()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
print(optimizer)
model.train()
optimizer.zero_grad()
accumulation_steps = 2
running = 0.0
for epoch in range(5):
    for i in range(8):
        xb, yb = X[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8]
        outputs = model(xb)
        loss = F.cross_entropy(outputs, yb)
        loss = loss / accumulation_steps
        loss.backward()
        running += loss.item()
        if (i + 1) % accumulation_steps == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
    print(f'epoch {epoch + 1} loss {running / 4:.6f} grad is None: {model.fc1.weight.grad is None}')
    running = 0.0

model.eval()
with torch.no_grad():
    logits = model(X)
    acc = (logits.argmax(dim=1) == y).float().mean().item()
    probs = logits.softmax(dim=-1)
print(f"accuracy: {acc:.2%}")
print(f"{acc:.4f}", round(acc, 3), "%.1f%%" % (100 * acc))
print(probs[:3])
print(probs.max(dim=1))
print(logits[0], logits[0].tolist())
print(model.bn.running_var[:4], model.bn.num_batches_tracked)
print(optimizer.state_dict()['state'][0]['momentum_buffer'].shape, len(optimizer.state_dict()['state']))
print(torch.tensor(3.14159), torch.tensor([1e-8, 1.0]), torch.tensor([1e10, 1.0]), torch.tensor([[1, 2], [3, 4]]))
print(torch.tensor([0.1, 0.25], dtype=torch.float64), torch.tensor([True, False]), torch.zeros(2, 0))
print(torch.arange(12).reshape(3, 4).float() / 3)
print(torch.tensor(float('nan')), torch.tensor([float('inf'), -float('inf'), 1.5]))
print(repr(torch.tensor([1.5])), str(torch.tensor(2)), torch.tensor(2).item(), type(torch.tensor(2.5).item()))
print(torch.randn(3, requires_grad=True).shape, torch.ones(2, 2, requires_grad=True))
