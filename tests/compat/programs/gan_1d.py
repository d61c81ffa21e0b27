# style: GAN tutorial on 1-D Gaussian data (generator/discriminator MLPs, nn.BCELoss, real_labels = torch.ones(batch_size, 1), fake_images.detach() for the D step, two Adam optimizers, reset_grad(), 'Epoch [{}/{}], d_loss: {:.4f}, g_loss: {:.4f}, D(x): {:.2f}, D(G(z)): {:.2f}', noise fed from NumPy)
# compat: rtol=5e-4
import numpy as np
import torch
import torch.nn as nn

# Hyper-parameters
latent_size = 4
hidden_size = 16
data_size = 1
num_epochs = 60
batch_size = 32

rs = np.random.RandomState(42)
real_mean, real_std = 3.0, 0.5

# Discriminator
D = nn.Sequential(
    nn.Linear(data_size, hidden_size),
    nn.LeakyReLU(0.2),
    nn.Linear(hidden_size, hidden_size),
    nn.LeakyReLU(0.2),
    nn.Linear(hidden_size, 1),
    nn.Sigmoid())

# Generator
G = nn.Sequential(
    nn.Linear(latent_size, hidden_size),
    nn.ReLU(),
    nn.Linear(hidden_size, hidden_size),
    nn.ReLU(),
    nn.Linear(hidden_size, data_size))

for net in (D, G):
    for p in net.parameters():
        p.data = torch.from_numpy(rs.uniform(-0.4, 0.4, p.shape).astype(np.float32))

# Binary cross entropy loss and optimizer
criterion = nn.BCELoss()
d_optimizer = torch.optim.Adam(D.parameters(), lr=0.002, betas=(0.5, 0.999))
g_optimizer = torch.optim.Adam(G.parameters(), lr=0.002, betas=(0.5, 0.999))


def reset_grad():
    d_optimizer.zero_grad()
    g_optimizer.zero_grad()


def noise(n):
    # torch.randn(batch_size, latent_size) in the original; NumPy keeps both libraries equal
    return torch.from_numpy(rs.randn(n, latent_size).astype(np.float32))


# Start training
total_step = 4
for epoch in range(num_epochs):
    for i in range(total_step):
        images = torch.from_numpy(rs.normal(real_mean, real_std, (batch_size, data_size)).astype(np.float32))

        # Create the labels which are later used as input for the BCE loss
        real_labels = torch.ones(batch_size, 1)
        fake_labels = torch.zeros(batch_size, 1)

        # ================================================================== #
        #                      Train the discriminator                       #
        # ================================================================== #

        # Compute BCE_Loss using real images where BCE_Loss(x, y): - y * log(D(x)) - (1-y) * log(1 - D(x))
        # Second term of the loss is always zero since real_labels == 1
        outputs = D(images)
        d_loss_real = criterion(outputs, real_labels)
        real_score = outputs

        # Compute BCELoss using fake images
        # First term of the loss is always zero since fake_labels == 0
        z = noise(batch_size)
        fake_images = G(z)
        outputs = D(fake_images.detach())
        d_loss_fake = criterion(outputs, fake_labels)
        fake_score = outputs

        # Backprop and optimize
        d_loss = d_loss_real + d_loss_fake
        reset_grad()
        d_loss.backward()
        d_optimizer.step()

        # ================================================================== #
        #                        Train the generator                         #
        # ================================================================== #

        # Compute loss with fake images
        z = noise(batch_size)
        fake_images = G(z)
        outputs = D(fake_images)

        # We train G to maximize log(D(G(z)) instead of minimizing log(1-D(G(z)))
        # For the reason, see the last paragraph of section 3. https://arxiv.org/pdf/1406.2661.pdf
        g_loss = criterion(outputs, real_labels)

        # Backprop and optimize
        reset_grad()
        g_loss.backward()
        g_optimizer.step()

    if (epoch + 1) % 10 == 0:
        print('Epoch [{}/{}], Step [{}/{}], d_loss: {:.4f}, g_loss: {:.4f}, D(x): {:.2f}, D(G(z)): {:.2f}'
              .format(epoch + 1, num_epochs, i + 1, total_step, d_loss.item(), g_loss.item(),
                      real_score.mean().item(), fake_score.mean().item()))

with torch.no_grad():
    samples = G(noise(1000))
print('generated mean {:.3f} std {:.3f}'.format(samples.mean().item(), samples.std().item()))
print(fake_images.requires_grad, fake_images.detach().requires_grad, fake_images.grad_fn is not None)
print(D[0].weight.grad is None, G[0].weight.grad.shape)
