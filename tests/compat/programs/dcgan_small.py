# style: official DCGAN tutorial on 16x16 images (weights_init with classname.find('Conv') != -1 and nn.init.normal_(m.weight.data, 0.0, 0.02), Generator of ConvTranspose2d + BatchNorm2d + ReLU + Tanh, Discriminator of Conv2d + LeakyReLU(0.2, inplace=True) + Sigmoid, label = torch.full((b_size,), real_label, dtype=torch.float), label.fill_(fake_label), netD(real).view(-1), errD_real.backward(), D_x = output.mean().item(), Adam betas=(0.5, 0.999), fixed_noise, G_losses/D_losses lists)
# compat: rtol=1e-3
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

# Set random seed for reproducibility
manualSeed = 999
np.random.seed(manualSeed)
torch.manual_seed(manualSeed)
torch.use_deterministic_algorithms(True)  # Needed for reproducible results

nc, nz, ngf, ndf = 1, 8, 8, 8
batch_size, num_epochs, lr, beta1 = 16, 4, 0.0002 * 10, 0.5
device = torch.device("cpu")
ngpu = 0

# "dataset": 16x16 bright squares at random places, scaled to [-1, 1] like transforms.Normalize
rs = np.random.RandomState(0)
imgs = -np.ones((64, 1, 16, 16), dtype=np.float32)
for i in range(64):
    r, c = rs.randint(0, 10, 2)
    imgs[i, 0, r:r + 6, c:c + 6] = 1.0
dataloader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(imgs)),
                                         batch_size=batch_size, shuffle=False)


# custom weights initialization called on ``netG`` and ``netD``
def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def numpy_weights_init(m):
    # the same distributions as weights_init, drawn by NumPy so that both libraries agree
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        m.weight.data = torch.from_numpy(rs.normal(0.0, 0.02 * 10, m.weight.shape).astype(np.float32))
    elif classname.find('BatchNorm') != -1:
        m.weight.data = torch.from_numpy(rs.normal(1.0, 0.02, m.weight.shape).astype(np.float32))
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self, ngpu):
        super(Generator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            # input is Z, going into a convolution
            nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            # state size. ``(ngf*4) x 4 x 4``
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            # state size. ``(ngf*2) x 8 x 8``
            nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, bias=False),
            nn.Tanh()
            # state size. ``(nc) x 16 x 16``
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self, ngpu):
        super(Discriminator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            # input is ``(nc) x 16 x 16``
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. ``(ndf) x 8 x 8``
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. ``(ndf*2) x 4 x 4``
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
            nn.Sigmoid()
        )

    def forward(self, input):
        return self.main(input)


netG = Generator(ngpu).to(device)
netG.apply(weights_init)
print('G conv std small:', netG.main[0].weight.std().item() < 0.03)
netG.apply(numpy_weights_init)
print(netG)
netD = Discriminator(ngpu).to(device)
netD.apply(weights_init)
netD.apply(numpy_weights_init)
print(netD)

criterion = nn.BCELoss()
fixed_noise = torch.from_numpy(rs.randn(4, nz, 1, 1).astype(np.float32))
real_label = 1.
fake_label = 0.
optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta1, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=lr, betas=(beta1, 0.999))

img_list = []
G_losses = []
D_losses = []
iters = 0

print("Starting Training Loop...")
for epoch in range(num_epochs):
    for i, data in enumerate(dataloader, 0):
        ############################
        # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
        ###########################
        ## Train with all-real batch
        netD.zero_grad()
        real_cpu = data[0].to(device)
        b_size = real_cpu.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float, device=device)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()

        ## Train with all-fake batch
        noise = torch.from_numpy(rs.randn(b_size, nz, 1, 1).astype(np.float32))  # torch.randn in the tutorial
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()

        ############################
        # (2) Update G network: maximize log(D(G(z)))
        ###########################
        netG.zero_grad()
        label.fill_(real_label)  # fake labels are real for generator cost
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()

        if i % 2 == 0:
            print('[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f'
                  % (epoch, num_epochs, i, len(dataloader),
                     errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))

        G_losses.append(errG.item())
        D_losses.append(errD.item())
        if (iters % 8 == 0) or ((epoch == num_epochs - 1) and (i == len(dataloader) - 1)):
            with torch.no_grad():
                fake = netG(fixed_noise).detach().cpu()
            img_list.append(fake)
        iters += 1

print(len(G_losses), len(img_list), img_list[-1].shape)
print(img_list[-1][0, 0, 6:9, 6:9])
print(netD.main[3].running_mean[:4], netG.main[1].running_var[:4])
