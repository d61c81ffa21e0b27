# style: yunjey/pytorch-tutorial 03-advanced/variational_autoencoder (VAE with fc1..fc5, encode returns mu/log_var, reparameterize with torch.randn_like(std), F.binary_cross_entropy(x_reconst, x, reduction='sum'), kl_div = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp()), 'Epoch[{}/{}], Step [{}/{}], Reconst Loss: {:.4f}, KL Div: {:.4f}', sampling z = torch.randn(batch_size, z_dim))
# compat: rtol=1e-4, decreasing=Total
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

# Device configuration
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

# Hyper-parameters
image_size = 64
h_dim = 32
z_dim = 4
num_epochs = 6
batch_size = 32
learning_rate = 3e-3

# MNIST-like binary-ish 8x8 images in [0, 1]
rs = np.random.RandomState(0)
protos = (rs.rand(4, image_size) > 0.5).astype(np.float32)
data = np.clip(protos[rs.randint(0, 4, 256)] + rs.normal(0, 0.1, (256, image_size)), 0, 1).astype(np.float32)
dataset = torch.utils.data.TensorDataset(torch.from_numpy(data), torch.zeros(256))
data_loader = torch.utils.data.DataLoader(dataset=dataset, batch_size=batch_size, shuffle=True)


# VAE model
class VAE(nn.Module):
    def __init__(self, image_size=784, h_dim=400, z_dim=20):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(image_size, h_dim)
        self.fc2 = nn.Linear(h_dim, z_dim)
        self.fc3 = nn.Linear(h_dim, z_dim)
        self.fc4 = nn.Linear(z_dim, h_dim)
        self.fc5 = nn.Linear(h_dim, image_size)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc2(h), self.fc3(h)

    def reparameterize(self, mu, log_var):
        std = torch.exp(log_var / 2)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h = F.relu(self.fc4(z))
        return F.sigmoid(self.fc5(h))

    def forward(self, x):
        mu, log_var = self.encode(x)
        z = self.reparameterize(mu, log_var)
        x_reconst = self.decode(z)
        return x_reconst, mu, log_var


model = VAE(image_size, h_dim, z_dim).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
print(model)

# Start training
for epoch in range(num_epochs):
    totals = [0.0, 0.0]
    for i, (x, _) in enumerate(data_loader):
        # Forward pass
        x = x.to(device).view(-1, image_size)
        x_reconst, mu, log_var = model(x)

        # Compute reconstruction loss and kl divergence
        # For KL divergence, see Appendix B in VAE paper or http://yunjey47.tistory.com/43
        reconst_loss = F.binary_cross_entropy(x_reconst, x, reduction='sum')
        kl_div = - 0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())

        # Backprop and optimize
        loss = reconst_loss + kl_div
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        totals[0] += reconst_loss.item()
        totals[1] += kl_div.item()

        if (i + 1) % 4 == 0:
            print("Epoch[{}/{}], Step [{}/{}], Reconst Loss: {:.4f}, KL Div: {:.4f}"
                  .format(epoch + 1, num_epochs, i + 1, len(data_loader), reconst_loss.item(), kl_div.item()))
    print('Total per image {:.4f}'.format(sum(totals) / len(dataset)))

    with torch.no_grad():
        # Save the sampled images
        z = torch.randn(batch_size, z_dim).to(device)
        out = model.decode(z).view(-1, 1, 8, 8)
        # Save the reconstructed images
        out, _, _ = model(x)
        x_concat = torch.cat([x.view(-1, 1, 8, 8), out.view(-1, 1, 8, 8)], dim=3)
        print(' sample', tuple(z.shape), tuple(x_concat.shape), bool(((out >= 0) & (out <= 1)).all()))
