# style: char-level LSTM language model (Embedding -> LSTM -> Linear), Adam, greedy generation
# compat: rtol=1e-4
import numpy as np
import torch
from torch import nn

text = ("hello world, hello backprop. the chain rule carries gradients backward "
        "through every op. hello tensors. ") * 3
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
vocab_size = len(chars)
print("vocab", vocab_size, "length", len(data))


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, emb=12, hidden=24):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, emb)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, idx, state=None):
        out, state = self.lstm(self.embed(idx), state)
        return self.head(out), state


model = CharLSTM(vocab_size)
rng = np.random.default_rng(7)
with torch.no_grad():
    for name, p in model.named_parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.2, 0.2, tuple(p.shape)).astype(np.float32)))
print([(n, tuple(p.shape)) for n, p in model.named_parameters()])

optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
seq_len, batch = 20, 4
starts = rng.integers(0, len(data) - seq_len - 1, (25, batch))
for step, row in enumerate(starts):
    x = torch.stack([data[s:s + seq_len] for s in row])
    y = torch.stack([data[s + 1:s + seq_len + 1] for s in row])
    logits, _ = model(x)
    loss = criterion(logits.reshape(-1, vocab_size), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if step % 5 == 0:
        print(f"step {step:3d} loss {loss.item():.5f}")

# greedy generation (deterministic)
model.eval()
with torch.no_grad():
    idx = torch.tensor([[stoi["h"]]])
    state = None
    out = "h"
    for _ in range(30):
        logits, state = model(idx, state)
        nxt = int(logits[0, -1].argmax())
        out += itos[nxt]
        idx = torch.tensor([[nxt]])
print("generated:", repr(out))
