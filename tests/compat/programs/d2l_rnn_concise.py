# style: d2l-zh 8.6 / 9.1-9.3 循环神经网络的简洁实现 + GRU/LSTM/深层 (nn.RNN(len(vocab), num_hiddens), RNNModel(nn.Module) with self.linear(Y.reshape((-1, Y.shape[-1]))), begin_state for nn.LSTM returning a tuple, state.detach_() / for s in state: s.detach_(), nn.utils.clip_grad_norm_, bidirectional and num_layers=2)
# compat: rtol=5e-4
import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

text = ("the time traveller for so it will be convenient to speak of him was expounding a "
        "recondite matter to us his grey eyes shone and twinkled and his usually pale face "
        "was flushed and animated the fire burned brightly")
idx_to_token = sorted(set(text))
token_to_idx = {t: i for i, t in enumerate(idx_to_token)}
corpus = [token_to_idx[c] for c in text]
vocab_size = len(idx_to_token)
print(len(corpus), vocab_size)


def seq_data_iter_sequential(corpus, batch_size, num_steps):
    num_tokens = ((len(corpus) - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[:num_tokens]).reshape(batch_size, -1)
    Ys = torch.tensor(corpus[1:1 + num_tokens]).reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        yield Xs[:, i: i + num_steps], Ys[:, i: i + num_steps]


num_hiddens = 24
rnn_layer = nn.RNN(vocab_size, num_hiddens)
state = torch.zeros((1, 4, num_hiddens))
print(state.shape)
X = torch.rand(size=(5, 4, vocab_size))
Y, state_new = rnn_layer(X, state)
print(Y.shape, state_new.shape)


class RNNModel(nn.Module):
    """循环神经网络模型"""
    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super(RNNModel, self).__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        # 如果RNN是双向的（之后将介绍），num_directions应该是2，否则应该是1
        if not self.rnn.bidirectional:
            self.num_directions = 1
            self.linear = nn.Linear(self.num_hiddens, self.vocab_size)
        else:
            self.num_directions = 2
            self.linear = nn.Linear(self.num_hiddens * 2, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size)
        X = X.to(torch.float32)
        Y, state = self.rnn(X, state)
        # 全连接层首先将Y的形状改为(时间步数*批量大小,隐藏单元数)
        # 它的输出形状是(时间步数*批量大小,词表大小)。
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, device, batch_size=1):
        if not isinstance(self.rnn, nn.LSTM):
            # nn.GRU以张量作为隐状态
            return torch.zeros((self.num_directions * self.rnn.num_layers,
                                batch_size, self.num_hiddens),
                               device=device)
        else:
            # nn.LSTM以元组作为隐状态
            return (torch.zeros((
                self.num_directions * self.rnn.num_layers,
                batch_size, self.num_hiddens), device=device),
                torch.zeros((
                    self.num_directions * self.rnn.num_layers,
                    batch_size, self.num_hiddens), device=device))


def numpy_init(net, seed):
    rs = np.random.RandomState(seed)
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(torch.from_numpy(rs.uniform(-0.3, 0.3, p.shape).astype(np.float32)))


def predict_ch8(prefix, num_preds, net, device):
    state = net.begin_state(batch_size=1, device=device)
    outputs = [token_to_idx[prefix[0]]]
    get_input = lambda: torch.tensor([outputs[-1]], device=device).reshape((1, 1))
    for y in prefix[1:]:
        _, state = net(get_input(), state)
        outputs.append(token_to_idx[y])
    for _ in range(num_preds):
        y, state = net(get_input(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return ''.join([idx_to_token[i] for i in outputs])


def train_ch8(net, lr, num_epochs, device, batch_size=4, num_steps=10):
    loss = nn.CrossEntropyLoss()
    updater = torch.optim.SGD(net.parameters(), lr)
    for epoch in range(num_epochs):
        state = None
        total, n = 0.0, 0
        for X, Y in seq_data_iter_sequential(corpus, batch_size, num_steps):
            if state is None:
                state = net.begin_state(batch_size=X.shape[0], device=device)
            else:
                if isinstance(net, nn.Module) and not isinstance(state, tuple):
                    # state对于nn.GRU是个张量
                    state.detach_()
                else:
                    # state对于nn.LSTM或对于我们从零开始实现的模型是个张量
                    for s in state:
                        s.detach_()
            y = Y.T.reshape(-1)
            y_hat, state = net(X, state)
            l = loss(y_hat, y.long()).mean()
            updater.zero_grad()
            l.backward()
            norm = nn.utils.clip_grad_norm_(net.parameters(), 1)
            updater.step()
            total += l.item() * y.numel()
            n += y.numel()
        if (epoch + 1) % 10 == 0:
            print(f'  epoch {epoch + 1} perplexity {math.exp(total / n):.4f} norm {float(norm):.4f}')
    print('  ', predict_ch8('the time ', 12, net, device))
    return math.exp(total / n)


device = torch.device('cpu')
for name, layer in [('rnn', nn.RNN(vocab_size, num_hiddens)),
                    ('gru', nn.GRU(vocab_size, num_hiddens)),
                    ('lstm', nn.LSTM(vocab_size, num_hiddens)),
                    ('deep lstm', nn.LSTM(vocab_size, num_hiddens, 2)),
                    ('bi gru', nn.GRU(vocab_size, num_hiddens, num_layers=1, bidirectional=True))]:
    net = RNNModel(layer, vocab_size=vocab_size)
    net = net.to(device)
    numpy_init(net, 0)
    print(name, [k for k, _ in net.named_parameters()][:5], net.rnn)
    print('  untrained:', predict_ch8('the time ', 8, net, device))
    ppl = train_ch8(net, lr=0.5 if 'lstm' not in name else 1, num_epochs=20, device=device)
    print(f'  {name} 困惑度 {ppl:.3f}')
