# style: seeded nn.TransformerEncoder text classifier with torch's defaults (dropout=0.1 active in training, layers deep-copied from one encoder_layer so they start equal, Embedding and Linear default init, positional embedding from torch.randn, causal mask from nn.Transformer.generate_square_subsequent_mask, AdamW, shuffled DataLoader)
# compat: rtol=5e-4
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(2024)
VOCAB, SEQ, D = 16, 8, 16


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, D)
        self.pos = nn.Parameter(torch.randn(1, SEQ, D) * 0.02)
        layer = nn.TransformerEncoderLayer(D, nhead=4, dim_feedforward=32, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(D, 2)

    def forward(self, x):
        mask = nn.Transformer.generate_square_subsequent_mask(x.size(1))
        h = self.encoder(self.embed(x) * math.sqrt(D) + self.pos, mask=mask, is_causal=True)
        return self.head(h[:, -1])


model = Classifier()
print(torch.equal(model.encoder.layers[0].linear1.weight, model.encoder.layers[1].linear1.weight))
print(model.encoder.layers[0].self_attn.in_proj_weight[0, :4], model.head.weight[0, :4])
x = torch.randint(1, VOCAB, (96, SEQ))
y = ((x == 3).sum(1) >= 1).long()
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
for epoch in range(4):
    model.train()
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        total += loss.item()
    model.eval()
    with torch.no_grad():
        acc = (model(x).argmax(1) == y).float().mean().item()
    print(f'epoch {epoch + 1} loss {total / len(loader):.5f} acc {acc:.3f}')
print(torch.randn(2))
