# style: matrix-factorization recommender (MovieLens-style ratings built in NumPy, user/item nn.Embedding + bias embeddings, (u * v).sum(1) + b_u + b_i + global mean, torch.sigmoid scaled to a rating range, MSELoss + weight_decay, Dataset of (user, item, rating) triples, RMSE with torch.sqrt, top-k recommendations with torch.topk after masking seen items with -inf, nn.init.normal_ std 0.01 replaced by NumPy draws)
# compat: rtol=5e-4
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

rs = np.random.RandomState(0)
n_users, n_items, k_true = 30, 40, 3
U = rs.normal(0, 1, (n_users, k_true))
V = rs.normal(0, 1, (n_items, k_true))
full = np.clip(3 + U @ V.T * 0.8 + rs.normal(0, 0.3, (n_users, n_items)), 1, 5)
mask = rs.rand(n_users, n_items) < 0.3
users, items = np.nonzero(mask)
ratings = full[users, items].astype(np.float32)
order = rs.permutation(len(ratings))
users, items, ratings = users[order], items[order], ratings[order]
split = int(0.8 * len(ratings))
print(len(ratings), split, ratings[:5].round(3))


class RatingsDataset(Dataset):
    def __init__(self, users, items, ratings):
        self.users = torch.tensor(users, dtype=torch.long)
        self.items = torch.tensor(items, dtype=torch.long)
        self.ratings = torch.tensor(ratings, dtype=torch.float)

    def __len__(self):
        return len(self.ratings)

    def __getitem__(self, idx):
        return self.users[idx], self.items[idx], self.ratings[idx]


train_ds = RatingsDataset(users[:split], items[:split], ratings[:split])
test_ds = RatingsDataset(users[split:], items[split:], ratings[split:])
train_dl = DataLoader(train_ds, batch_size=64, shuffle=False)
test_dl = DataLoader(test_ds, batch_size=256)


class MatrixFactorization(nn.Module):
    def __init__(self, n_users, n_items, n_factors=8, y_range=(0.5, 5.5)):
        super().__init__()
        self.user_factors = nn.Embedding(n_users, n_factors)
        self.item_factors = nn.Embedding(n_items, n_factors)
        self.user_bias = nn.Embedding(n_users, 1)
        self.item_bias = nn.Embedding(n_items, 1)
        self.y_range = y_range
        nn.init.normal_(self.user_factors.weight, std=0.01)
        nn.init.normal_(self.item_factors.weight, std=0.01)
        nn.init.zeros_(self.user_bias.weight)
        nn.init.zeros_(self.item_bias.weight)

    def forward(self, user, item):
        dot = (self.user_factors(user) * self.item_factors(item)).sum(1)
        res = dot + self.user_bias(user).squeeze() + self.item_bias(item).squeeze()
        lo, hi = self.y_range
        return torch.sigmoid(res) * (hi - lo) + lo


model = MatrixFactorization(n_users, n_items)
with torch.no_grad():  # the same start in both libraries
    model.user_factors.weight.copy_(torch.from_numpy(rs.normal(0, 0.3, (n_users, 8))))
    model.item_factors.weight.copy_(torch.from_numpy(rs.normal(0, 0.3, (n_items, 8))))
print(model)
optimizer = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=1e-5)
loss_fn = nn.MSELoss()


def rmse(dl):
    model.eval()
    se, n = 0.0, 0
    with torch.no_grad():
        for u, i, r in dl:
            pred = model(u, i)
            se += ((pred - r) ** 2).sum().item()
            n += len(r)
    return np.sqrt(se / n)


for epoch in range(12):
    model.train()
    total = 0.0
    for u, i, r in train_dl:
        optimizer.zero_grad()
        loss = loss_fn(model(u, i), r)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(r)
    if epoch % 3 == 2:
        print(f'epoch {epoch + 1}: train mse {total / len(train_ds):.4f}, test rmse {rmse(test_dl):.4f}')

# recommend: score all items for user 0, mask the seen ones
with torch.no_grad():
    scores = model(torch.zeros(n_items, dtype=torch.long), torch.arange(n_items))
    seen = torch.tensor(mask[0])
    scores[seen] = float('-inf')
    top = torch.topk(scores, 5)
print(top.indices, top.values)
print(model.user_bias.weight[:3].view(-1), model.item_factors.weight.grad.abs().sum() > 0)
print(torch.sqrt(loss_fn(model(test_ds.users, test_ds.items), test_ds.ratings)))
