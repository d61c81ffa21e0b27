# style: d2l-zh 4.10 实战Kaggle比赛：预测房价 (NumPy-built features standardized and one-hot, torch.tensor(features.values-like, dtype=torch.float32), log_rmse with torch.log(torch.clamp(net(features), 1, float('inf'))), get_k_fold_data with torch.cat, Adam with weight_decay, k_fold averages, final predictions .detach().numpy())
# compat: rtol=5e-4
import numpy as np
import torch
from torch import nn
from torch.utils import data

rs = np.random.RandomState(0)
n_train, n_test = 160, 40
# numeric columns (area, rooms, year) and one categorical (neighborhood in 4 values)
area = rs.uniform(50, 250, n_train + n_test)
rooms = rs.randint(1, 7, n_train + n_test).astype(float)
year = rs.randint(1950, 2020, n_train + n_test).astype(float)
hood = rs.randint(0, 4, n_train + n_test)
price = (800 * area + 5000 * rooms + 300 * (year - 1950) + np.array([0, 20000, 50000, -10000])[hood]
         + rs.normal(0, 10000, n_train + n_test) + 30000)
# missing values like the Kaggle data: NaN in some 'year' cells
year[rs.rand(n_train + n_test) < 0.05] = np.nan

numeric = np.stack([area, rooms, year], axis=1)
# 若无法获得测试数据，则可根据训练数据计算均值和标准差
numeric = (numeric - np.nanmean(numeric, axis=0)) / np.nanstd(numeric, axis=0, ddof=1)
# 在标准化数据之后，所有均值消失，因此我们可以将缺失值设置为0
numeric = np.nan_to_num(numeric, nan=0.0)
one_hot = np.eye(4)[hood]  # pd.get_dummies(..., dummy_na=True) without the NA column
all_features = np.concatenate([numeric, one_hot], axis=1)
print(all_features.shape, all_features.dtype)

n_train = 160
train_features = torch.tensor(all_features[:n_train], dtype=torch.float32)
test_features = torch.tensor(all_features[n_train:], dtype=torch.float32)
train_labels = torch.tensor(
    price[:n_train].reshape(-1, 1), dtype=torch.float32)
print(train_features.shape, test_features.shape, train_labels.shape, train_labels[:3].T)

loss = nn.MSELoss()
in_features = train_features.shape[1]


def get_net():
    net = nn.Sequential(nn.Linear(in_features, 1))
    with torch.no_grad():  # NumPy-drawn start, the same in both libraries
        net[0].weight.copy_(torch.from_numpy(np.linspace(-0.3, 0.3, in_features)).reshape(1, -1))
        net[0].bias.fill_(0.0)
    return net


def log_rmse(net, features, labels):
    # 为了在取对数时进一步稳定该值，将小于1的值设置为1
    clipped_preds = torch.clamp(net(features), 1, float('inf'))
    rmse = torch.sqrt(loss(torch.log(clipped_preds),
                           torch.log(labels)))
    return rmse.item()


def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


def train(net, train_features, train_labels, test_features, test_labels,
          num_epochs, learning_rate, weight_decay, batch_size):
    train_ls, test_ls = [], []
    # shuffle=False: the shuffling order comes from the library RNG
    train_iter = load_array((train_features, train_labels), batch_size, is_train=False)
    # 这里使用的是Adam优化算法
    optimizer = torch.optim.Adam(net.parameters(),
                                 lr=learning_rate,
                                 weight_decay=weight_decay)
    for epoch in range(num_epochs):
        for X, y in train_iter:
            optimizer.zero_grad()
            l = loss(net(X), y)
            l.backward()
            optimizer.step()
        train_ls.append(log_rmse(net, train_features, train_labels))
        if test_labels is not None:
            test_ls.append(log_rmse(net, test_features, test_labels))
    return train_ls, test_ls


def get_k_fold_data(k, i, X, y):
    assert k > 1
    fold_size = X.shape[0] // k
    X_train, y_train = None, None
    for j in range(k):
        idx = slice(j * fold_size, (j + 1) * fold_size)
        X_part, y_part = X[idx, :], y[idx]
        if j == i:
            X_valid, y_valid = X_part, y_part
        elif X_train is None:
            X_train, y_train = X_part, y_part
        else:
            X_train = torch.cat([X_train, X_part], 0)
            y_train = torch.cat([y_train, y_part], 0)
    return X_train, y_train, X_valid, y_valid


def k_fold(k, X_train, y_train, num_epochs, learning_rate, weight_decay,
           batch_size):
    train_l_sum, valid_l_sum = 0, 0
    for i in range(k):
        data = get_k_fold_data(k, i, X_train, y_train)
        net = get_net()
        train_ls, valid_ls = train(net, *data, num_epochs, learning_rate,
                                   weight_decay, batch_size)
        train_l_sum += train_ls[-1]
        valid_l_sum += valid_ls[-1]
        print(f'折{i + 1}，训练log rmse{float(train_ls[-1]):f}, '
              f'验证log rmse{float(valid_ls[-1]):f}')
    return train_l_sum / k, valid_l_sum / k


k, num_epochs, lr, weight_decay, batch_size = 4, 30, 5, 0, 16
train_l, valid_l = k_fold(k, train_features, train_labels, num_epochs, lr,
                          weight_decay, batch_size)
print(f'{k}-折验证: 平均训练log rmse: {float(train_l):f}, '
      f'平均验证log rmse: {float(valid_l):f}')


def train_and_pred(train_features, test_features, train_labels,
                   num_epochs, lr, weight_decay, batch_size):
    net = get_net()
    train_ls, _ = train(net, train_features, train_labels, None, None,
                        num_epochs, lr, weight_decay, batch_size)
    print(f'训练log rmse：{float(train_ls[-1]):f}')
    # 将网络应用于测试集。
    preds = net(test_features).detach().numpy()
    # 将其重新格式化以导出到Kaggle
    submission = [(i + 1, float(p)) for i, p in enumerate(preds.reshape(1, -1)[0])]
    print(submission[:3], preds.dtype)
    true = price[n_train:]
    print('test log rmse', float(np.sqrt(np.mean((np.log(np.clip(preds[:, 0], 1, None)) - np.log(true)) ** 2))))


train_and_pred(train_features, test_features, train_labels,
               num_epochs, lr, 1e-3, batch_size)
