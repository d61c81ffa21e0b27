# style: small text classifier with nn.TransformerEncoder (nn.Embedding + learned positions, nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0.0, batch_first=True), src_key_padding_mask from pad ids, masked mean pooling, norm_first variant, clip_grad_norm_, AdamW + LambdaLR warmup, model.eval() inference under torch.inference_mode())
# compat: rtol=5e-4
import math

import numpy as np
import torch
import torch.nn as nn

rs = np.random.RandomState(0)
PAD, VOCAB, MAXLEN = 0, 12, 10


def make_batch(n):
    """Sentences of tokens 1..11; the label says whether token 7 occurs more often than token 3."""
    lengths = rs.randint(4, MAXLEN + 1, n)
    tokens = np.full((n, MAXLEN), PAD, dtype=np.int64)
    for i, L in enumerate(lengths):
        tokens[i, :L] = rs.randint(1, VOCAB, L)
    labels = ((tokens == 7).sum(1) > (tokens == 3).sum(1)).astype(np.int64)
    return torch.from_numpy(tokens), torch.from_numpy(labels)


x_train, y_train = make_batch(128)
x_test, y_test = make_batch(64)
print(x_train[:2], y_train[:8], y_train.float().mean())


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size, d_model=16, nhead=2, num_layers=2, dim_feedforward=32,
                 num_classes=2, norm_first=False):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(1, MAXLEN, d_model))
        encoder_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0.0,
                                                   batch_first=True, norm_first=norm_first)
        self.encoder = nn.TransformerEncoder(encoder_layer, num_layers=num_layers,
                                             enable_nested_tensor=False)
        self.fc = nn.Linear(d_model, num_classes)
        self.d_model = d_model

    def forward(self, src):
        pad_mask = src == PAD                                   # (batch, seq) True = ignore
        h = self.embedding(src) * math.sqrt(self.d_model) + self.pos[:, :src.size(1)]
        h = self.encoder(h, src_key_padding_mask=pad_mask)
        keep = (~pad_mask).unsqueeze(-1).float()
        pooled = (h * keep).sum(1) / keep.sum(1)                # masked mean
        return self.fc(pooled)


def numpy_init(model, seed):
    r = np.random.RandomState(seed)
    state = {}
    for name, v in model.state_dict().items():
        if name.endswith('norm1.weight') or name.endswith('norm2.weight'):
            state[name] = torch.ones_like(v)
        elif name.endswith('.bias') or 'norm' in name:
            state[name] = torch.zeros_like(v)
        else:
            state[name] = torch.from_numpy(r.normal(0, 0.2, v.shape).astype(np.float32))
    model.load_state_dict(state)


for norm_first in (False, True):
    model = TransformerClassifier(VOCAB, norm_first=norm_first)
    numpy_init(model, 1)
    if not norm_first:
        print(model)
        print([n for n, _ in model.named_parameters()][:8])
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    warmup = 5
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
    criterion = nn.CrossEntropyLoss()
    for epoch in range(6):
        model.train()
        total = 0.0
        for i in range(0, 128, 32):
            xb, yb = x_train[i:i + 32], y_train[i:i + 32]
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            optimizer.step()
            scheduler.step()
            total += loss.item()
        print(f'norm_first={norm_first} epoch {epoch + 1} loss {total / 4:.5f} grad norm {norm:.4f} '
              f'lr {scheduler.get_last_lr()[0]:.6f}')
    model.eval()
    with torch.inference_mode():
        logits = model(x_test)
        acc = (logits.argmax(-1) == y_test).float().mean().item()
    print(f'test accuracy {acc:.3f}', logits[:2])
