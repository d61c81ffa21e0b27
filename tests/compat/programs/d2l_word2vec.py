# style: d2l-zh 14.3-14.4 word2vec 跳元模型 + 负采样 (subsample with collections.Counter, get_centers_and_contexts, batchify with padding/masks/labels returned as torch.tensor tuples, nn.Embedding(num_embeddings=..., embedding_dim=...), skip_gram with torch.bmm(v, u.permute(0, 2, 1)), SigmoidBCELoss with binary_cross_entropy_with_logits(weight=mask, reduction="none"), get_similar_tokens with torch.mv and torch.topk)
# compat: rtol=5e-4
import collections
import math
import random

import numpy as np
import torch
from torch import nn

random.seed(0)  # d2l's sampling uses Python's random: the same in both libraries

sentences = [
    "the cat sat on the mat", "the dog sat on the log", "a cat and a dog play",
    "the mat is red", "the log is brown", "cats and dogs are pets",
    "the red cat sat", "the brown dog sat", "a pet cat on a mat", "a pet dog on a log",
] * 3
sentences = [line.split() for line in sentences]
counter = collections.Counter([tk for line in sentences for tk in line])
idx_to_token = ['<unk>'] + sorted(counter, key=lambda t: (-counter[t], t))
token_to_idx = {t: i for i, t in enumerate(idx_to_token)}
corpus = [[token_to_idx[tk] for tk in line] for line in sentences]
print(len(idx_to_token), corpus[0])


def get_centers_and_contexts(corpus, max_window_size):
    """返回跳元模型中的中心词和上下文词"""
    centers, contexts = [], []
    for line in corpus:
        # 要形成“中心词-上下文词”对，每个句子至少需要有2个词
        if len(line) < 2:
            continue
        centers += line
        for i in range(len(line)):  # 上下文窗口中间i
            window_size = random.randint(1, max_window_size)
            indices = list(range(max(0, i - window_size),
                                 min(len(line), i + 1 + window_size)))
            # 从上下文词中排除中心词
            indices.remove(i)
            contexts.append([line[idx] for idx in indices])
    return centers, contexts


all_centers, all_contexts = get_centers_and_contexts(corpus, 2)
print(f'# “中心词-上下文词对”的数量: {sum([len(contexts) for contexts in all_contexts])}')


class RandomGenerator:
    """根据n个采样权重在{1,...,n}中随机抽取"""
    def __init__(self, sampling_weights):
        # Exclude
        self.population = list(range(1, len(sampling_weights) + 1))
        self.sampling_weights = sampling_weights
        self.candidates = []
        self.i = 0

    def draw(self):
        if self.i == len(self.candidates):
            # 缓存k个随机采样结果
            self.candidates = random.choices(
                self.population, self.sampling_weights, k=10000)
            self.i = 0
        self.i += 1
        return self.candidates[self.i - 1]


def get_negatives(all_contexts, vocab, counter, K):
    """返回负采样中的噪声词"""
    # 索引为1、2、...（索引0是词表中排除的未知标记）
    sampling_weights = [counter[vocab[i]]**0.75 for i in range(1, len(vocab))]
    all_negatives, generator = [], RandomGenerator(sampling_weights)
    for contexts in all_contexts:
        negatives = []
        while len(negatives) < len(contexts) * K:
            neg = generator.draw()
            # 噪声词不能是上下文词
            if neg not in contexts:
                negatives.append(neg)
        all_negatives.append(negatives)
    return all_negatives


all_negatives = get_negatives(all_contexts, idx_to_token, counter, 3)


def batchify(data):
    """返回带有负采样的跳元模型的小批量样本"""
    max_len = max(len(c) + len(n) for _, c, n in data)
    centers, contexts_negatives, masks, labels = [], [], [], []
    for center, context, negative in data:
        cur_len = len(context) + len(negative)
        centers += [center]
        contexts_negatives += \
            [context + negative + [0] * (max_len - cur_len)]
        masks += [[1] * cur_len + [0] * (max_len - cur_len)]
        labels += [[1] * len(context) + [0] * (max_len - len(context))]
    return (torch.tensor(centers).reshape((-1, 1)), torch.tensor(
        contexts_negatives), torch.tensor(masks), torch.tensor(labels))


x_1 = (1, [2, 2], [3, 3, 3, 3])
x_2 = (1, [2, 2, 2], [3, 3])
batch = batchify((x_1, x_2))
names = ['centers', 'contexts_negatives', 'masks', 'labels']
for name, data in zip(names, batch):
    print(name, '=', data)


class SkipGramData(torch.utils.data.Dataset):
    def __init__(self, centers, contexts, negatives):
        assert len(centers) == len(contexts) == len(negatives)
        self.centers = centers
        self.contexts = contexts
        self.negatives = negatives

    def __getitem__(self, index):
        return (self.centers[index], self.contexts[index],
                self.negatives[index])

    def __len__(self):
        return len(self.centers)


dataset = SkipGramData(all_centers, all_contexts, all_negatives)
data_iter = torch.utils.data.DataLoader(dataset, 32, shuffle=False, collate_fn=batchify, num_workers=0)
for batch in data_iter:
    for name, data in zip(names, batch):
        print(name, 'shape:', data.shape)
    break

embed = nn.Embedding(num_embeddings=20, embedding_dim=4)
print(f'Parameter embedding_weight ({embed.weight.shape}, dtype={embed.weight.dtype})')


def skip_gram(center, contexts_and_negatives, embed_v, embed_u):
    v = embed_v(center)
    u = embed_u(contexts_and_negatives)
    pred = torch.bmm(v, u.permute(0, 2, 1))
    return pred


print(skip_gram(torch.ones((2, 1), dtype=torch.long),
                torch.ones((2, 4), dtype=torch.long), embed, embed).shape)


class SigmoidBCELoss(nn.Module):
    # 带掩码的二元交叉熵损失
    def __init__(self):
        super().__init__()

    def forward(self, inputs, target, mask=None):
        out = nn.functional.binary_cross_entropy_with_logits(
            inputs, target, weight=mask, reduction="none")
        return out.mean(dim=1)


loss = SigmoidBCELoss()
pred = torch.tensor([[1.1, -2.2, 3.3, -4.4]] * 2)
label = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
print(loss(pred, label, mask) * mask.shape[1] / mask.sum(axis=1))


def sigmd(x):
    return -math.log(1 / (1 + math.exp(-x)))


print(f'{(sigmd(1.1) + sigmd(2.2) + sigmd(-3.3) + sigmd(4.4)) / 4:.4f}')

embed_size = 12
net = nn.Sequential(nn.Embedding(num_embeddings=len(idx_to_token),
                                 embedding_dim=embed_size),
                    nn.Embedding(num_embeddings=len(idx_to_token),
                                 embedding_dim=embed_size))
rs = np.random.RandomState(1)
net.load_state_dict({k: torch.tensor(rs.normal(0, 0.3, v.shape), dtype=torch.float32)
                     for k, v in net.state_dict().items()})


def train(net, data_iter, lr, num_epochs, device=torch.device('cpu')):
    def init_weights(m):
        if type(m) == nn.Embedding:
            nn.init.xavier_uniform_(m.weight)
    # net.apply(init_weights) would draw from the library RNG: kept the NumPy weights
    net = net.to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    for epoch in range(num_epochs):
        metric = [0.0, 0]  # 损失的和,损失的数量
        for i, batch in enumerate(data_iter):
            optimizer.zero_grad()
            center, context_negative, mask, label = [
                data.to(device) for data in batch]

            pred = skip_gram(center, context_negative, net[0], net[1])
            l = (loss(pred.reshape(label.shape).float(), label.float(), mask)
                 / mask.sum(axis=1) * mask.shape[1])
            l.sum().backward()
            optimizer.step()
            metric[0] += l.sum().item()
            metric[1] += l.numel()
        if (epoch + 1) % 5 == 0:
            print(f'epoch {epoch + 1}, loss {metric[0] / metric[1]:.4f}')


lr, num_epochs = 0.01, 20
train(net, data_iter, lr, num_epochs)


def get_similar_tokens(query_token, k, embed):
    W = embed.weight.data
    x = W[token_to_idx[query_token]]
    # 计算余弦相似性。增加1e-9以获得数值稳定性
    cos = torch.mv(W, x) / torch.sqrt(torch.sum(W * W, dim=1) *
                                      torch.sum(x * x) + 1e-9)
    topk = torch.topk(cos, k=k + 1)[1].cpu().numpy().astype('int32')
    for i in topk[1:]:  # 删除输入词
        print(f'cosine sim={float(cos[i]):.3f}: {idx_to_token[i]}')


get_similar_tokens('cat', 3, net[0])
