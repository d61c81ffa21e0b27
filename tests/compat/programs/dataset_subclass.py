# style: custom Dataset subclass + DataLoader (batching, collate of dicts/tuples, drop_last, custom collate_fn, random_split with a seeded generator)
# compat: rtol=1e-5
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Subset, TensorDataset


class RegressionData(Dataset):
    def __init__(self, n=50):
        rng = np.random.default_rng(0)
        self.x = rng.normal(0, 1, (n, 3)).astype(np.float32)
        self.y = (self.x.sum(1, keepdims=True) * 2 + 1).astype(np.float32)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return torch.from_numpy(self.x[idx]), torch.from_numpy(self.y[idx])


class DictData(Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        return {"id": i, "feat": torch.full((2,), float(i)), "name": f"item{i}"}


ds = RegressionData()
print(len(ds), ds[0][0].shape, ds[0][1])
loader = DataLoader(ds, batch_size=16, shuffle=False)
print(len(loader), [tuple(b[0].shape) for b in loader])
print(len(DataLoader(ds, batch_size=16, drop_last=True)))

batch = next(iter(DataLoader(DictData(), batch_size=4)))
print(sorted(batch), batch["id"], batch["feat"].shape, batch["name"])


def pad_collate(samples):
    lengths = [len(s) for s in samples]
    out = torch.zeros(len(samples), max(lengths), dtype=torch.long)
    for i, s in enumerate(samples):
        out[i, :len(s)] = torch.tensor(s)
    return out, torch.tensor(lengths)


seqs = [[1, 2, 3], [4, 5], [6], [7, 8, 9, 10]]
for padded, lengths in DataLoader(seqs, batch_size=2, collate_fn=pad_collate):
    print(padded.tolist(), lengths)

tds = TensorDataset(torch.arange(10.0).unsqueeze(1), torch.arange(10))
print(tds[3], len(Subset(tds, [0, 2, 4])))
parts = torch.utils.data.random_split(range(10), [0.7, 0.3])
print([len(p) for p in parts])

model = torch.nn.Linear(3, 1)
with torch.no_grad():
    model.weight.fill_(0.0)
    model.bias.fill_(0.0)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(5):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    print(f"epoch {epoch} loss {total / len(ds):.6f}")
print(model.weight.data, model.bias.data)
