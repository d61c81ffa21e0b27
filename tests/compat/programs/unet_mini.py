# style: milesial/Pytorch-UNet style segmentation (DoubleConv = Conv-BN-ReLU x2 with bias=False, Down = MaxPool2d + DoubleConv, Up with nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True) or ConvTranspose2d, diffY/diffX + F.pad, torch.cat([x2, x1], dim=1), OutConv 1x1, BCEWithLogitsLoss + dice_loss on F.sigmoid, RMSprop(weight_decay, momentum, foreach=True), torch.sigmoid(mask_pred) > 0.5 and a Dice score, F.interpolate of odd-sized inputs)
# compat: rtol=1e-3
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True)
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    """Downscaling with maxpool then double conv"""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(
            nn.MaxPool2d(2),
            DoubleConv(in_channels, out_channels)
        )

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    """Upscaling then double conv"""

    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()

        # if bilinear, use the normal convolutions to reduce the number of channels
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        # input is CHW
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]

        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2,
                        diffY // 2, diffY - diffY // 2])
        # if you have padding issues, see
        # https://github.com/HaiyongJiang/U-Net-Pytorch-Unstructured-Buggy/commit/0e854509c2cea854e247a9c615f175f76fbb2e3a
        # https://github.com/xiaopeng-liao/Pytorch-UNet/commit/8ebac70e633bac59fc22bb5195e513d5832fb3bd
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super(OutConv, self).__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False):
        super(UNet, self).__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear

        self.inc = DoubleConv(n_channels, 8)
        self.down1 = Down(8, 16)
        factor = 2 if bilinear else 1
        self.down2 = Down(16, 32 // factor)
        self.up1 = Up(32, 16 // factor, bilinear)
        self.up2 = Up(16, 8, bilinear)
        self.outc = OutConv(8, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x = self.up1(x3, x2)
        x = self.up2(x, x1)
        logits = self.outc(x)
        return logits


def dice_coeff(input, target, reduce_batch_first=False, epsilon=1e-6):
    # Average of Dice coefficient for all batches, or for a single mask
    assert input.size() == target.size()
    assert input.dim() == 3 or not reduce_batch_first

    sum_dim = (-1, -2) if input.dim() == 2 or not reduce_batch_first else (-1, -2, -3)

    inter = 2 * (input * target).sum(dim=sum_dim)
    sets_sum = input.sum(dim=sum_dim) + target.sum(dim=sum_dim)
    sets_sum = torch.where(sets_sum == 0, inter, sets_sum)

    dice = (inter + epsilon) / (sets_sum + epsilon)
    return dice.mean()


def dice_loss(input, target):
    # Dice loss (objective to minimize) between 0 and 1
    return 1 - dice_coeff(input, target, reduce_batch_first=True)


# synthetic segmentation: noisy images with a bright disc; the mask is the disc
rs = np.random.RandomState(0)
yy, xx = np.mgrid[0:16, 0:16]
images, masks = [], []
for i in range(24):
    cy, cx, r = rs.randint(4, 12), rs.randint(4, 12), rs.randint(2, 5)
    m = ((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r).astype(np.float32)
    images.append(m + rs.normal(0, 0.3, m.shape).astype(np.float32))
    masks.append(m)
images = torch.from_numpy(np.stack(images)[:, None])
true_masks = torch.from_numpy(np.stack(masks))


def numpy_init(model, seed):
    r = np.random.RandomState(seed)
    for name, p in model.named_parameters():
        if p.dim() > 1:
            bound = 1 / np.sqrt(p[0].numel())
            p.data = torch.from_numpy(r.uniform(-bound, bound, p.shape).astype(np.float32))
        elif name.endswith('bias'):
            nn.init.zeros_(p)


for bilinear in (False, True):
    model = UNet(n_channels=1, n_classes=1, bilinear=bilinear)
    numpy_init(model, 1)
    print(f'bilinear={bilinear}', sum(p.numel() for p in model.parameters()), model.up1.up)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, weight_decay=1e-8, momentum=0.9, foreach=True)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(1, 6):
        model.train()
        epoch_loss = 0
        for i in range(0, 24, 8):
            batch_images, batch_masks = images[i:i + 8], true_masks[i:i + 8]
            masks_pred = model(batch_images)
            loss = criterion(masks_pred.squeeze(1), batch_masks.float())
            loss += dice_loss(F.sigmoid(masks_pred.squeeze(1)), batch_masks.float())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            epoch_loss += loss.item()
        model.eval()
        with torch.no_grad():
            mask_pred = (F.sigmoid(model(images).squeeze(1)) > 0.5).float()
            dice_score = dice_coeff(mask_pred, true_masks, reduce_batch_first=False)
        print(f'epoch {epoch} loss {epoch_loss / 3:.5f} validation Dice score {dice_score.item():.5f}')

# odd sizes go through the F.pad path; interpolate as the predict script does
model.eval()
with torch.no_grad():
    odd = model(F.interpolate(images[:2], size=(15, 13), mode='bilinear'))
    print(odd.shape, odd[0, 0, 7, :4])
    up = F.interpolate(odd, (16, 16), mode='bilinear')
    print(up.shape, (up.sigmoid() > 0.5).sum().item())
