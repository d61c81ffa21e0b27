# style: "production" training-script boilerplate: device selection, cudnn flags, torch.compile, DataParallel, DDP checks, AMP autocast + GradScaler, grad clipping, tensorboard guard
# compat: rtol=1e-5
import os

import numpy as np
import torch
import torch.backends.cudnn as cudnn
import torch.distributed as dist
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

try:
    from torch.utils.tensorboard import SummaryWriter  # noqa: F401
    HAS_TB = True
except ImportError:
    HAS_TB = False

torch.manual_seed(0)
np.random.seed(0)
cudnn.benchmark = True
cudnn.deterministic = False
torch.backends.cuda.matmul.allow_tf32 = True
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
use_amp = device.type == "cuda"
distributed = dist.is_available() and dist.is_initialized()
rank = dist.get_rank() if distributed else 0
world_size = int(os.environ.get("WORLD_SIZE", 1))
print(f"device={device} amp={use_amp} distributed={distributed} rank={rank} world={world_size}")
print("torch >= 2.0:", torch.__version__ >= "2.0", "mps:", torch.backends.mps.is_available())

X = torch.from_numpy(np.random.randn(128, 8).astype(np.float32))
y = torch.from_numpy((np.random.rand(128) > 0.5).astype(np.int64))
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=False, num_workers=0,
                    pin_memory=torch.cuda.is_available())

model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(p=0.0), nn.Linear(32, 2))
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(np.random.uniform(-0.3, 0.3, tuple(p.shape)).astype(np.float32)))
model = model.to(device)
if torch.cuda.device_count() > 1:
    model = nn.DataParallel(model)
model = torch.compile(model) if hasattr(torch, "compile") else model

optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
scaler = torch.amp.GradScaler("cuda", enabled=use_amp)  # disabled on CPU
cpu_scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)  # real loss scaling on CPU
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

for epoch in range(3):
    model.train()
    total = 0.0
    for step, (xb, yb) in enumerate(loader):
        xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, dtype=torch.float16, enabled=use_amp):
            logits = model(xb)
            loss = criterion(logits, yb)
        s = cpu_scaler if not use_amp else scaler
        s.scale(loss).backward()
        s.unscale_(optimizer)
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        s.step(optimizer)
        s.update()
        total += loss.item()
    print(f"epoch {epoch} loss {total / len(loader):.6f} grad-norm {norm.item():.6f} "
          f"scale {cpu_scaler.get_scale()}")

print("scaler state:", scaler.state_dict(), sorted(cpu_scaler.state_dict()))
model.eval()
with torch.inference_mode():
    acc = (model(X).argmax(1) == y).float().mean().item()
print(f"train accuracy {acc:.4f}")
if rank == 0:
    print("tensorboard available:", HAS_TB in (True, False))
