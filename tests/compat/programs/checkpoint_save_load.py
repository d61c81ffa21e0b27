# style: training checkpoints: torch.save({'model', 'optimizer', 'epoch'}), torch.load, resume
# compat: rtol=1e-5
import os

import numpy as np
import torch
from torch import nn

rng = np.random.default_rng(12)
X = torch.tensor(rng.normal(0, 1, (80, 6)).astype(np.float32))
y = torch.tensor(rng.integers(0, 3, 80))


def build():
    model = nn.Sequential(nn.Linear(6, 12), nn.Tanh(), nn.Linear(12, 3))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.3, 0.3, tuple(p.shape)).astype(np.float32)))
    return model


def run(model, optimizer, epochs, start=0):
    for epoch in range(start, start + epochs):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} loss {loss.item():.6f}")
    return loss


model = build()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss = run(model, optimizer, 5)
path = os.path.join(os.getcwd(), "checkpoint.pt")
torch.save({"epoch": 5, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "loss": loss.item()}, path)
print("saved keys:", sorted(model.state_dict().keys()))

# resume into fresh objects
model2 = build()
optimizer2 = torch.optim.Adam(model2.parameters(), lr=0.01)
checkpoint = torch.load(path, weights_only=True)
model2.load_state_dict(checkpoint["model_state_dict"])
optimizer2.load_state_dict(checkpoint["optimizer_state_dict"])
print("resumed at epoch", checkpoint["epoch"], "loss", round(checkpoint["loss"], 6))
print("same weights:", all(torch.equal(a, b) for a, b in
                           zip(model.state_dict().values(), model2.state_dict().values())))
run(model, optimizer, 3, start=5)
run(model2, optimizer2, 3, start=5)
print("state step:", optimizer2.state_dict()["state"][0]["step"])

# weights-only file and a plain tensor
torch.save(model.state_dict(), "weights.pth")
model3 = build()
missing = model3.load_state_dict(torch.load("weights.pth"))
print(missing)
torch.save(torch.arange(6.0).reshape(2, 3), "t.pt")
print(torch.load("t.pt"))
model3.eval()
with torch.no_grad():
    print(model3(X[:2]))
