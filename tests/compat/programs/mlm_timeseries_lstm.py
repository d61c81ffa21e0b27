# style: machinelearningmastery "LSTM for time series prediction in PyTorch" (airline-passengers-like series, create_dataset(dataset, lookback) building lists then torch.tensor(X), AirModel with nn.LSTM(input_size=1, hidden_size=50, num_layers=1, batch_first=True) and x[:, -1, :] variant, data.DataLoader(data.TensorDataset(X_train, y_train), shuffle=False, batch_size=8), np.sqrt(loss_fn(y_pred, y_train)) on a tensor, np.ones_like(timeseries) * np.nan with train_plot[lookback:train_size] = model(X_train)[:, -1, :], MinMaxScaler)
# compat: rtol=1e-3
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data as data
from sklearn.preprocessing import MinMaxScaler

# airline passengers (monthly, trend + season), as df[["Passengers"]].values.astype('float32')
months = np.arange(96)
timeseries = (120 + 2.5 * months + 30 * np.sin(2 * np.pi * months / 12)
              * (1 + months / 96)).astype('float32').reshape(-1, 1)
timeseries = MinMaxScaler().fit_transform(timeseries).astype('float32')
print(timeseries.shape, timeseries.dtype, timeseries[:3].ravel())

# train-test split for time series
train_size = int(len(timeseries) * 0.67)
test_size = len(timeseries) - train_size
train, test = timeseries[:train_size], timeseries[train_size:]


def create_dataset(dataset, lookback):
    """Transform a time series into a prediction dataset

    Args:
        dataset: A numpy array of time series, first dimension is the time steps
        lookback: Size of window for prediction
    """
    X, y = [], []
    for i in range(len(dataset) - lookback):
        feature = dataset[i:i + lookback]
        target = dataset[i + 1:i + lookback + 1]
        X.append(feature)
        y.append(target)
    return torch.tensor(np.array(X)), torch.tensor(np.array(y))


lookback = 4
X_train, y_train = create_dataset(train, lookback=lookback)
X_test, y_test = create_dataset(test, lookback=lookback)
print(X_train.shape, y_train.shape)
print(X_test.shape, y_test.shape)


class AirModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=50, num_layers=1, batch_first=True)
        self.linear = nn.Linear(50, 1)

    def forward(self, x):
        x, _ = self.lstm(x)
        x = self.linear(x)
        return x


model = AirModel()
rs = np.random.RandomState(0)
for p in model.parameters():
    p.data = torch.from_numpy(rs.uniform(-0.14, 0.14, p.shape).astype(np.float32))
optimizer = optim.Adam(model.parameters())
loss_fn = nn.MSELoss()
loader = data.DataLoader(data.TensorDataset(X_train, y_train), shuffle=False, batch_size=8)

n_epochs = 60
for epoch in range(n_epochs):
    model.train()
    for X_batch, y_batch in loader:
        y_pred = model(X_batch)
        loss = loss_fn(y_pred, y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    # Validation
    if epoch % 10 != 0 and epoch != n_epochs - 1:
        continue
    model.eval()
    with torch.no_grad():
        y_pred = model(X_train)
        train_rmse = np.sqrt(loss_fn(y_pred, y_train))
        y_pred = model(X_test)
        test_rmse = np.sqrt(loss_fn(y_pred, y_test))
    print("Epoch %d: train RMSE %.4f, test RMSE %.4f" % (epoch, train_rmse, test_rmse))
print(type(train_rmse).__name__, float(train_rmse))

with torch.no_grad():
    # shift train predictions for plotting
    train_plot = np.ones_like(timeseries) * np.nan
    y_pred = model(X_train)
    y_pred = y_pred[:, -1, :]
    train_plot[lookback:train_size] = model(X_train)[:, -1, :]
    # shift test predictions for plotting
    test_plot = np.ones_like(timeseries) * np.nan
    test_plot[train_size + lookback:len(timeseries)] = model(X_test)[:, -1, :]
print(np.isnan(train_plot).sum(), np.nanmean(train_plot), test_plot[-3:].ravel(), train_plot.dtype)
