# style: textbook linear regression: gradient descent vs the closed-form normal equations
# compat: rtol=1e-4
import numpy as np
import torch

rng = np.random.default_rng(21)
n, d = 200, 3
X_np = rng.normal(0, 1, (n, d))
w_true = np.array([[2.0], [-1.0], [0.5]])
y_np = X_np @ w_true + 0.7 + rng.normal(0, 0.1, (n, 1))

X = torch.tensor(X_np, dtype=torch.float64)
y = torch.tensor(y_np, dtype=torch.float64)
Xb = torch.cat([X, torch.ones(n, 1, dtype=torch.float64)], dim=1)

# closed form: (X^T X)^-1 X^T y, three ways
w_inv = torch.linalg.inv(Xb.T @ Xb) @ Xb.T @ y
w_solve = torch.linalg.solve(Xb.T @ Xb, Xb.T @ y)
w_lstsq = torch.linalg.lstsq(Xb, y).solution
print("inverse:", w_inv.squeeze().numpy().round(6).tolist())
print("solve:  ", w_solve.squeeze().numpy().round(6).tolist())
print("lstsq:  ", w_lstsq.squeeze().numpy().round(6).tolist())
print("pinv:   ", (torch.linalg.pinv(Xb) @ y).squeeze().numpy().round(6).tolist())
print("agree:", torch.allclose(w_inv, w_solve), torch.allclose(w_solve, w_lstsq))

# gradient descent on the same problem (float32, as most scripts do)
model = torch.nn.Linear(d, 1)
with torch.no_grad():
    model.weight.zero_()
    model.bias.zero_()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X32, y32 = X.float(), y.float()
for step in range(200):
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(X32), y32)
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step} mse {loss.item():.6f}")
w_gd = torch.cat([model.weight.detach().squeeze(), model.bias.detach()]).double()
print("gd:     ", w_gd.numpy().round(4).tolist())
print("max |gd - closed form|:", f"{(w_gd - w_solve.squeeze()).abs().max().item():.2e}")
residual = y - Xb @ w_solve
print("R^2:", round(1 - (residual.pow(2).sum() / (y - y.mean()).pow(2).sum()).item(), 6))
print("det(X^T X):", f"{torch.linalg.det(Xb.T @ Xb).item():.6e}")
print("norm:", torch.linalg.norm(w_solve).item(), torch.linalg.vector_norm(residual, ord=1).item())
