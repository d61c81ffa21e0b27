# style: minimal Vision Transformer tutorials (PatchEmbed with Conv2d(kernel=stride=patch) then flatten(2).transpose(1, 2), cls_token/pos_embed nn.Parameter with nn.init.trunc_normal_(std=.02), self.apply(_init_weights) (trunc_normal_ for Linear, zeros bias, ones/zeros LayerNorm), pre-norm blocks with nn.MultiheadAttention(batch_first=True) and a GELU MLP, einops-free reshapes, F.unfold patch check, AdamW + cosine schedule with warmup, label_smoothing)
# compat: rtol=5e-4
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class PatchEmbed(nn.Module):
    def __init__(self, img_size=8, patch_size=4, in_chans=1, embed_dim=16):
        super().__init__()
        self.num_patches = (img_size // patch_size) ** 2
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        x = self.proj(x)                  # (B, D, H/P, W/P)
        return x.flatten(2).transpose(1, 2)  # (B, N, D)


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=2.0, drop=0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=drop, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(drop),
                                 nn.Linear(hidden, dim), nn.Dropout(drop))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    def __init__(self, num_classes=3, dim=16, depth=2, heads=4):
        super().__init__()
        self.patch_embed = PatchEmbed(embed_dim=dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, self.patch_embed.num_patches + 1, dim))
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)
        nn.init.trunc_normal_(self.pos_embed, std=.02)
        nn.init.trunc_normal_(self.cls_token, std=.02)
        self.apply(self._init_weights)

    def _init_weights(self, m):
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.patch_embed(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x)[:, 0])


model = ViT()
print(sum(p.numel() for p in model.parameters()), model.pos_embed[0, :2, :3], model.head.weight[0, :3])

# three classes: a bright patch in one of three places
images = torch.randn(96, 1, 8, 8) * 0.3
labels = torch.randint(0, 3, (96,))
for k in range(3):
    images[labels == k, 0, 2 * k:2 * k + 3, 2:6] += 1.5
patches = F.unfold(images[:1], kernel_size=4, stride=4)
print(patches.shape, torch.allclose(patches.transpose(1, 2)[0, 1], images[0, 0, :4, 4:].reshape(-1)))

optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
steps, warmup = 24, 4
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / (steps - warmup))))
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
step = 0
for epoch in range(4):
    model.train()
    perm = torch.randperm(96)
    for i in range(0, 96, 16):
        idx = perm[i:i + 16]
        loss = criterion(model(images[idx]), labels[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        step += 1
    model.eval()
    with torch.no_grad():
        acc = (model(images).argmax(-1) == labels).float().mean().item()
    print(f'epoch {epoch + 1} loss {loss.item():.4f} acc {acc:.3f} lr {scheduler.get_last_lr()[0]:.6f}')
