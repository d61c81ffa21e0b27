# style: 莫烦Python 404 AutoEncoder (Sequential encoder Linear/Tanh down to 3 codes, decoder ending in Sigmoid, MSELoss, Adam, view(-1, 8*8), encoded codes for plotting)
# compat: rtol=2e-4
import numpy as np
import torch
import torch.nn as nn
import torch.utils.data as Data

torch.manual_seed(1)    # reproducible

# Hyper Parameters
EPOCH = 3
BATCH_SIZE = 16
LR = 0.005         # learning rate
N_TEST_IMG = 5

# digits-like 8x8 images in [0, 1]: three prototypes plus noise
rs = np.random.RandomState(2)
protos = (rs.rand(3, 8, 8) > 0.5).astype(np.float32)
labels = rs.randint(0, 3, 96)
data = np.clip(protos[labels] + rs.normal(0, 0.15, (96, 8, 8)), 0, 1).astype(np.float32)
train_data = Data.TensorDataset(torch.from_numpy(data), torch.from_numpy(labels))
train_loader = Data.DataLoader(dataset=train_data, batch_size=BATCH_SIZE, shuffle=False)


class AutoEncoder(nn.Module):
    def __init__(self):
        super(AutoEncoder, self).__init__()

        self.encoder = nn.Sequential(
            nn.Linear(8 * 8, 32),
            nn.Tanh(),
            nn.Linear(32, 16),
            nn.Tanh(),
            nn.Linear(16, 3),   # compress to 3 features which can be visualized in plt
        )
        self.decoder = nn.Sequential(
            nn.Linear(3, 16),
            nn.Tanh(),
            nn.Linear(16, 32),
            nn.Tanh(),
            nn.Linear(32, 8 * 8),
            nn.Sigmoid(),       # compress to a range (0, 1)
        )

    def forward(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return encoded, decoded


autoencoder = AutoEncoder()
sd = autoencoder.state_dict()
autoencoder.load_state_dict({k: torch.tensor(rs.uniform(-0.3, 0.3, v.shape), dtype=torch.float) for k, v in sd.items()})
print(autoencoder)

optimizer = torch.optim.Adam(autoencoder.parameters(), lr=LR)
loss_func = nn.MSELoss()

# original data (first row) for viewing
view_data = train_data.tensors[0][:N_TEST_IMG].view(-1, 8 * 8).type(torch.FloatTensor)

for epoch in range(EPOCH):
    for step, (x, b_label) in enumerate(train_loader):
        b_x = x.view(-1, 8 * 8)   # batch x, shape (batch, 8*8)
        b_y = x.view(-1, 8 * 8)   # batch y, shape (batch, 8*8)

        encoded, decoded = autoencoder(b_x)

        loss = loss_func(decoded, b_y)      # mean square error
        optimizer.zero_grad()               # clear gradients for this training step
        loss.backward()                     # backpropagation, compute gradients
        optimizer.step()                    # apply gradients

        if step % 3 == 0:
            print('Epoch: ', epoch, '| train loss: %.4f' % loss.data.numpy())
            # plotting decoded image (second row)
            _, decoded_data = autoencoder(view_data)
            img = np.reshape(decoded_data.data.numpy()[0], (8, 8))
            print('   decoded[0] corner', img[:2, :2].round(4).tolist())

# visualize in 3D plot
view_data = train_data.tensors[0][:20].view(-1, 8 * 8).type(torch.FloatTensor) / 1.
encoded_data, _ = autoencoder(view_data)
X, Y, Z = encoded_data.data[:, 0].numpy(), encoded_data.data[:, 1].numpy(), encoded_data.data[:, 2].numpy()
for x, y, z, s in list(zip(X, Y, Z, train_data.tensors[1][:20].numpy()))[:4]:
    print('code', s, round(float(x), 4), round(float(y), 4), round(float(z), 4))
