# style: imbalanced-data pipeline (torch.utils.data.random_split with generator=torch.Generator().manual_seed(42), class weights 1. / class_counts, WeightedRandomSampler(samples_weight, num_samples=len(samples_weight), replacement=True), Subset .indices, SubsetRandomSampler, BatchSampler, ConcatDataset, DataLoader(sampler=...), torch.bincount)
# compat: rtol=1e-5
import numpy as np
import torch
from torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, SequentialSampler, Subset, SubsetRandomSampler,
                              TensorDataset, WeightedRandomSampler, random_split)

rs = np.random.RandomState(0)
# 90 samples of class 0, 10 of class 1
target = np.hstack((np.zeros(90, dtype=np.int64), np.ones(10, dtype=np.int64)))
data = rs.randn(100, 3).astype(np.float32)
dataset = TensorDataset(torch.from_numpy(data), torch.from_numpy(target))

train_set, val_set = random_split(dataset, [80, 20], generator=torch.Generator().manual_seed(42))
print(len(train_set), len(val_set), type(train_set).__name__, len(set(train_set.indices) | set(val_set.indices)))
train_set2, val_set2 = random_split(dataset, [80, 20], generator=torch.Generator().manual_seed(42))
print('same split with the same seed:', list(train_set.indices) == list(train_set2.indices))
parts = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(0))
print([len(p) for p in parts])

class_sample_count = np.array([len(np.where(target == t)[0]) for t in np.unique(target)])
print('target train 0/1: {}/{}'.format(class_sample_count[0], class_sample_count[1]))
weight = 1. / class_sample_count
samples_weight = np.array([weight[t] for t in target])
samples_weight = torch.from_numpy(samples_weight)
print(samples_weight.dtype, samples_weight[:2], samples_weight[-2:])
sampler = WeightedRandomSampler(samples_weight.type('torch.DoubleTensor'), len(samples_weight))
print(len(sampler), sampler.replacement)

torch.manual_seed(0)
train_loader = DataLoader(dataset, batch_size=20, num_workers=0, sampler=sampler)
counts = torch.zeros(2, dtype=torch.long)
for batch_idx, (x, t) in enumerate(train_loader):
    counts += torch.bincount(t, minlength=2)
    print("batch index {}, 0/1: {}/{}".format(batch_idx, len(np.where(t.numpy() == 0)[0]), len(np.where(t.numpy() == 1)[0])))
print('balanced after resampling:', bool(counts[1] > 25), counts.sum().item())

# class weights for the loss instead of resampling
class_weights = torch.tensor(len(target) / (2.0 * class_sample_count), dtype=torch.float32)
print(class_weights)
criterion = torch.nn.CrossEntropyLoss(weight=class_weights)
logits = torch.from_numpy(rs.randn(6, 2).astype(np.float32))
labels = torch.tensor([0, 0, 0, 1, 1, 0])
print(criterion(logits, labels), torch.nn.functional.cross_entropy(logits, labels))

# index-based samplers and batch samplers
indices = list(range(100))
split = 20
train_idx, valid_idx = indices[split:], indices[:split]
train_sampler = SubsetRandomSampler(train_idx)
valid_loader = DataLoader(dataset, batch_size=8, sampler=SubsetRandomSampler(valid_idx))
seen = sorted(i for xb, tb in valid_loader for i in tb.tolist())
print(len(train_sampler), len(valid_loader), len(seen), sum(seen))
print(list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False)))
print(list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=True)))
loader = DataLoader(dataset, batch_sampler=BatchSampler(SequentialSampler(dataset), batch_size=32, drop_last=False))
print([len(t) for _, t in loader])
both = ConcatDataset([Subset(dataset, range(5)), Subset(dataset, range(95, 100))])
print(len(both), both[7][1], both.cumulative_sizes)
