# style: scikit-learn-style binary classifier: nn.Linear + BCEWithLogitsLoss + Adam, sigmoid, accuracy
# compat: rtol=1e-5
import numpy as np
import torch
from torch import nn

rng = np.random.default_rng(11)
n = 400
X_np = rng.normal(0, 1, (n, 4)).astype(np.float32)
true_w = np.array([1.5, -2.0, 0.5, 0.0], dtype=np.float32)
y_np = (X_np @ true_w + 0.3 + rng.normal(0, 0.5, n) > 0).astype(np.float32)
X = torch.from_numpy(X_np)
y = torch.from_numpy(y_np).unsqueeze(1)
X_train, X_test, y_train, y_test = X[:300], X[300:], y[:300], y[300:]

model = nn.Linear(4, 1)
nn.init.zeros_(model.weight)
nn.init.constant_(model.bias, 0.1)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)

for epoch in range(1, 101):
    model.train()
    optimizer.zero_grad()
    logits = model(X_train)
    loss = criterion(logits, y_train)
    loss.backward()
    optimizer.step()
    if epoch % 20 == 0:
        with torch.no_grad():
            probs = torch.sigmoid(model(X_test))
            acc = ((probs > 0.5).float() == y_test).float().mean()
        print(f"epoch {epoch:3d}  loss {loss.item():.6f}  test acc {acc.item():.4f}")

print("weights:", model.weight.data.numpy().round(4).tolist())
print("bias:", round(model.bias.item(), 4))
with torch.no_grad():
    p = torch.sigmoid(model(X_test[:5])).squeeze(1)
print("probabilities:", p)
pos_weight = torch.tensor([2.0])
weighted = nn.BCEWithLogitsLoss(pos_weight=pos_weight)(model(X_test), y_test)
print("weighted loss:", weighted.item())
print(nn.functional.binary_cross_entropy(torch.sigmoid(model(X_test)), y_test).item())
