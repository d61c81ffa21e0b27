# style: bentrevett/pytorch-sentiment-analysis style (vocab from a tokenizer, pad_sequence(batch_first=True, padding_value=pad_index), nn.Embedding(padding_idx=pad_index), nn.utils.rnn.pack_padded_sequence(embedded, length, batch_first=True, enforce_sorted=False), bidirectional 2-layer LSTM, hidden = torch.cat([hidden[-1], hidden[-2]], dim=-1), pad_packed_sequence, BCEWithLogitsLoss + binary_accuracy with torch.round(torch.sigmoid(preds)), count_parameters, Embedding.from_pretrained(freeze=True), epoch_time)
# compat: rtol=5e-4
import collections
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

SEED = 1234
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.backends.cudnn.deterministic = True
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

pos_words = ['good', 'great', 'fun', 'loved', 'brilliant', 'best', 'enjoyable']
neg_words = ['bad', 'boring', 'awful', 'hated', 'worst', 'dull', 'poor']
filler = ['the', 'movie', 'was', 'a', 'film', 'plot', 'and', 'acting', 'really', 'it']
rs = np.random.RandomState(0)


def make_review(label):
    n = rs.randint(3, 12)
    words = list(rs.choice(filler, n))
    for _ in range(rs.randint(1, 3)):
        words.insert(rs.randint(0, len(words) + 1), rs.choice(pos_words if label else neg_words))
    return ' '.join(words)


labels = rs.randint(0, 2, 160)
texts = [make_review(l) for l in labels]
print(texts[0], '|', labels[0])

tokenizer = str.split
counter = collections.Counter(tok for t in texts for tok in tokenizer(t))
special_tokens = ['<unk>', '<pad>']
itos = special_tokens + sorted(counter, key=lambda w: (-counter[w], w))
stoi = {w: i for i, w in enumerate(itos)}
unk_index, pad_index = stoi['<unk>'], stoi['<pad>']
print(len(itos), itos[:6], unk_index, pad_index)


def numericalize(text):
    ids = [stoi.get(tok, unk_index) for tok in tokenizer(text)]
    return {'ids': torch.tensor(ids), 'length': torch.tensor(len(ids))}


data = [dict(numericalize(t), label=torch.tensor(l)) for t, l in zip(texts, labels)]
train_data, test_data = data[:128], data[128:]


def get_collate_fn(pad_index):
    def collate_fn(batch):
        batch_ids = [i['ids'] for i in batch]
        batch_ids = nn.utils.rnn.pad_sequence(batch_ids, padding_value=pad_index, batch_first=True)
        batch_length = [i['length'] for i in batch]
        batch_length = torch.stack(batch_length)
        batch_label = [i['label'] for i in batch]
        batch_label = torch.stack(batch_label)
        batch = {'ids': batch_ids, 'length': batch_length, 'label': batch_label}
        return batch
    return collate_fn


def get_data_loader(dataset, batch_size, pad_index, shuffle=False):
    collate_fn = get_collate_fn(pad_index)
    data_loader = torch.utils.data.DataLoader(dataset=dataset, batch_size=batch_size,
                                              collate_fn=collate_fn, shuffle=shuffle)
    return data_loader


train_data_loader = get_data_loader(train_data, 32, pad_index, shuffle=False)
test_data_loader = get_data_loader(test_data, 32, pad_index)
first = next(iter(train_data_loader))
print(first['ids'].shape, first['length'][:5], first['label'][:5], first['ids'][0])


class LSTM(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_dim, output_dim, n_layers,
                 bidirectional, dropout_rate, pad_index):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_index)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, n_layers, bidirectional=bidirectional,
                            dropout=dropout_rate, batch_first=True)
        self.fc = nn.Linear(hidden_dim * 2 if bidirectional else hidden_dim, output_dim)
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, ids, length):
        # ids = [batch size, seq len]
        # length = [batch size]
        embedded = self.dropout(self.embedding(ids))
        # embedded = [batch size, seq len, embedding dim]
        packed_embedded = nn.utils.rnn.pack_padded_sequence(embedded, length, batch_first=True,
                                                            enforce_sorted=False)
        packed_output, (hidden, cell) = self.lstm(packed_embedded)
        # hidden = [n layers * n directions, batch size, hidden dim]
        output, output_length = nn.utils.rnn.pad_packed_sequence(packed_output)
        # output = [batch size, seq len, hidden dim * n directions]
        if self.lstm.bidirectional:
            hidden = self.dropout(torch.cat([hidden[-1], hidden[-2]], dim=-1))
        else:
            hidden = self.dropout(hidden[-1])
        prediction = self.fc(hidden)
        return prediction, output.shape, output_length


model = LSTM(len(itos), 16, 12, 1, 2, True, 0.0, pad_index)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


print(f'The model has {count_parameters(model):,} trainable parameters')
init = np.random.RandomState(1)
for name, param in model.named_parameters():
    if 'weight' in name:
        param.data = torch.from_numpy(init.uniform(-0.25, 0.25, param.shape).astype(np.float32))
    else:
        nn.init.zeros_(param)
model.embedding.weight.data[pad_index] = torch.zeros(16)
optimizer = optim.Adam(model.parameters(), lr=5e-3)
criterion = nn.BCEWithLogitsLoss()
model = model.to(device)
criterion = criterion.to(device)


def binary_accuracy(preds, y):
    rounded_preds = torch.round(torch.sigmoid(preds))
    correct = (rounded_preds == y).float()
    acc = correct.sum() / len(correct)
    return acc


def train(data_loader, model, criterion, optimizer, device):
    model.train()
    epoch_losses, epoch_accs = [], []
    for batch in data_loader:
        ids = batch['ids'].to(device)
        length = batch['length']
        label = batch['label'].to(device)
        prediction, out_shape, out_len = model(ids, length)
        loss = criterion(prediction.squeeze(1), label.float())
        accuracy = binary_accuracy(prediction.squeeze(1), label.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_losses.append(loss.item())
        epoch_accs.append(accuracy.item())
    return np.mean(epoch_losses), np.mean(epoch_accs), out_shape, out_len


def evaluate(data_loader, model, criterion, device):
    model.eval()
    epoch_losses, epoch_accs = [], []
    with torch.no_grad():
        for batch in data_loader:
            prediction, _, _ = model(batch['ids'].to(device), batch['length'])
            label = batch['label'].to(device)
            epoch_losses.append(criterion(prediction.squeeze(1), label.float()).item())
            epoch_accs.append(binary_accuracy(prediction.squeeze(1), label.float()).item())
    return np.mean(epoch_losses), np.mean(epoch_accs)


def epoch_time(start_time, end_time):
    elapsed_time = end_time - start_time
    elapsed_mins = int(elapsed_time / 60)
    elapsed_secs = int(elapsed_time - (elapsed_mins * 60))
    return elapsed_mins, elapsed_secs


best_valid_loss = float('inf')
for epoch in range(5):
    start_time = time.monotonic()
    train_loss, train_acc, out_shape, out_len = train(train_data_loader, model, criterion, optimizer, device)
    valid_loss, valid_acc = evaluate(test_data_loader, model, criterion, device)
    end_time = time.monotonic()
    epoch_mins, epoch_secs = epoch_time(start_time, end_time)
    if valid_loss < best_valid_loss:
        best_valid_loss = valid_loss
        torch.save(model.state_dict(), 'lstm.pt')
    print(f'Epoch: {epoch + 1:02} | Epoch Time: {epoch_mins}m {0 * epoch_secs}s')
    print(f'\tTrain Loss: {train_loss:.4f} | Train Acc: {train_acc * 100:.2f}%')
    print(f'\t Val. Loss: {valid_loss:.4f} |  Val. Acc: {valid_acc * 100:.2f}%')
print(out_shape, out_len[:5])

model.load_state_dict(torch.load('lstm.pt'))


def predict_sentiment(text, model, device):
    ids = numericalize(text)['ids'].unsqueeze(0).to(device)
    length = torch.LongTensor([ids.shape[1]])
    prediction, _, _ = model(ids, length)
    probability = torch.sigmoid(prediction).item()
    return probability > 0.5, probability


for text in ['the movie was great', 'awful plot and boring acting', 'it was a film']:
    print(text, '->', predict_sentiment(text, model, device))

frozen = nn.Embedding.from_pretrained(model.embedding.weight.detach(), freeze=True, padding_idx=pad_index)
print(frozen.weight.requires_grad, frozen(torch.tensor([pad_index, 2])).sum(1))
