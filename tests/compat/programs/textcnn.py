# style: Kim-style CNN text classifier (nn.ModuleList of Conv2d(1, n_filters, (fs, embedding_dim)), embedded.unsqueeze(1), F.relu(conv(embedded)).squeeze(3), F.max_pool1d(conv, conv.shape[2]).squeeze(2), torch.cat(pooled, dim=1), also the Conv1d variant with permute(0, 2, 1), CrossEntropyLoss over 3 classes, categorical_accuracy with argmax(1, keepdim=True))
# compat: rtol=5e-4
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rs = np.random.RandomState(3)
VOCAB, PAD, SEQ = 30, 0, 12
keywords = {0: [3, 4], 1: [5, 6], 2: [7, 8]}


def make(n):
    y = rs.randint(0, 3, n)
    x = rs.randint(9, VOCAB, (n, SEQ))
    for i, c in enumerate(y):
        pos = rs.randint(0, SEQ - 1)
        x[i, pos:pos + 2] = keywords[c]
        x[i, rs.randint(8, SEQ + 1):] = PAD
    return torch.from_numpy(x), torch.from_numpy(y)


x_train, y_train = make(150)
x_test, y_test = make(60)


class CNN(nn.Module):
    def __init__(self, vocab_size, embedding_dim, n_filters, filter_sizes, output_dim,
                 dropout, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.convs = nn.ModuleList([
            nn.Conv2d(in_channels=1, out_channels=n_filters, kernel_size=(fs, embedding_dim))
            for fs in filter_sizes
        ])
        self.fc = nn.Linear(len(filter_sizes) * n_filters, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, text):
        # text = [batch size, sent len]
        embedded = self.embedding(text)
        # embedded = [batch size, sent len, emb dim]
        embedded = embedded.unsqueeze(1)
        # embedded = [batch size, 1, sent len, emb dim]
        conved = [F.relu(conv(embedded)).squeeze(3) for conv in self.convs]
        # conved_n = [batch size, n_filters, sent len - filter_sizes[n] + 1]
        pooled = [F.max_pool1d(conv, conv.shape[2]).squeeze(2) for conv in conved]
        # pooled_n = [batch size, n_filters]
        cat = self.dropout(torch.cat(pooled, dim=1))
        # cat = [batch size, n_filters * len(filter_sizes)]
        return self.fc(cat)


class CNN1d(nn.Module):
    def __init__(self, vocab_size, embedding_dim, n_filters, filter_sizes, output_dim,
                 dropout, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.convs = nn.ModuleList([
            nn.Conv1d(in_channels=embedding_dim, out_channels=n_filters, kernel_size=fs)
            for fs in filter_sizes
        ])
        self.fc = nn.Linear(len(filter_sizes) * n_filters, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, text):
        embedded = self.embedding(text)
        embedded = embedded.permute(0, 2, 1)
        # embedded = [batch size, emb dim, sent len]
        conved = [F.relu(conv(embedded)) for conv in self.convs]
        pooled = [F.max_pool1d(conv, conv.shape[2]).squeeze(2) for conv in conved]
        cat = self.dropout(torch.cat(pooled, dim=1))
        return self.fc(cat)


def categorical_accuracy(preds, y):
    top_pred = preds.argmax(1, keepdim=True)
    correct = top_pred.eq(y.view_as(top_pred)).sum()
    acc = correct.float() / y.shape[0]
    return acc


for cls in (CNN, CNN1d):
    model = cls(VOCAB, 10, 6, [2, 3, 4], 3, 0.5, PAD)
    r = np.random.RandomState(0)
    state = {}
    for k, v in model.state_dict().items():
        w = r.uniform(-0.3, 0.3, v.shape).astype(np.float32)
        if cls is CNN1d and k.startswith('convs') and k.endswith('weight'):
            # the same filters as the 2-D version: (n, 1, fs, emb) -> (n, emb, fs)
            w = r2d[k].reshape(v.shape[0], v.shape[2], v.shape[1]).transpose(0, 2, 1).copy()
        state[k] = torch.from_numpy(w)
    if cls is CNN:
        r2d = {k: v.numpy() for k, v in state.items()}
    else:
        state = {k: (torch.from_numpy(r2d[k]) if not k.startswith('convs') or not k.endswith('weight') else v)
                 for k, v in state.items()}
    model.load_state_dict(state)
    print(cls.__name__, [tuple(c.weight.shape) for c in model.convs])
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(6):
        model.eval()  # dropout off: the comparison with torch stays exact (torch's dropout RNG differs)
        perm = np.random.RandomState(epoch).permutation(150)
        epoch_loss = epoch_acc = 0
        for i in range(0, 150, 30):
            idx = torch.from_numpy(perm[i:i + 30])
            optimizer.zero_grad()
            predictions = model(x_train[idx])
            loss = criterion(predictions, y_train[idx])
            acc = categorical_accuracy(predictions, y_train[idx])
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item()
            epoch_acc += acc.item()
        with torch.no_grad():
            test_acc = categorical_accuracy(model(x_test), y_test).item()
        print(f'{cls.__name__} epoch {epoch + 1} loss {epoch_loss / 5:.4f} acc {epoch_acc / 5 * 100:.2f}% test {test_acc * 100:.2f}%')
    with torch.no_grad():
        print(F.softmax(model(x_test[:2]), dim=1))
