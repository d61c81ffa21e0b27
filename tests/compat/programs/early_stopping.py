# style: early stopping loop (train/val split by slicing, best_model_wts = copy.deepcopy(model.state_dict()), patience counter, model.load_state_dict(best_model_wts), ReduceLROnPlateau on val loss, tqdm-free epoch logging with time, since = time.time(), EarlyStopping class with checkpoint torch.save/torch.load)
# compat: rtol=5e-4
import copy
import os
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn

rs = np.random.RandomState(3)
# noisy sine regression: small training set so that the model starts to overfit
x_all = rs.uniform(-3, 3, (96, 1)).astype(np.float32)
y_all = (np.sin(x_all) + rs.normal(0, 0.3, x_all.shape)).astype(np.float32)
x_train, y_train = torch.from_numpy(x_all[:48]), torch.from_numpy(y_all[:48])
x_val, y_val = torch.from_numpy(x_all[48:]), torch.from_numpy(y_all[48:])


class EarlyStopping:
    """Early stops the training if validation loss doesn't improve after a given patience."""
    def __init__(self, patience=7, verbose=False, delta=0, path='checkpoint.pt', trace_func=print):
        self.patience = patience
        self.verbose = verbose
        self.counter = 0
        self.best_val_loss = None
        self.early_stop = False
        self.val_loss_min = np.inf
        self.delta = delta
        self.path = path
        self.trace_func = trace_func

    def __call__(self, val_loss, model):
        # Check if validation loss is nan
        if np.isnan(val_loss):
            self.trace_func("Validation loss is NaN. Ignoring this epoch.")
            return

        if self.best_val_loss is None:
            self.best_val_loss = val_loss
            self.save_checkpoint(val_loss, model)
        elif val_loss < self.best_val_loss - self.delta:
            # Significant improvement detected
            self.best_val_loss = val_loss
            self.save_checkpoint(val_loss, model)
            self.counter = 0  # Reset counter since improvement occurred
        else:
            # No significant improvement
            self.counter += 1
            self.trace_func(f'EarlyStopping counter: {self.counter} out of {self.patience}')
            if self.counter >= self.patience:
                self.early_stop = True

    def save_checkpoint(self, val_loss, model):
        '''Saves model when validation loss decreases.'''
        if self.verbose:
            self.trace_func(f'Validation loss decreased ({self.val_loss_min:.6f} --> {val_loss:.6f}).  Saving model ...')
        torch.save(model.state_dict(), self.path)
        self.val_loss_min = val_loss


def make_model():
    model = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
    init = np.random.RandomState(0)
    for p in model.parameters():
        p.data = torch.from_numpy(init.normal(0, 0.5, p.shape).astype(np.float32))
    return model


# --- style 1: copy.deepcopy(model.state_dict()) inside the loop -----------------------------
model = make_model()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode='min', factor=0.5, patience=3)
since = time.time()
best_model_wts = copy.deepcopy(model.state_dict())
best_loss = float('inf')
patience, bad_epochs = 8, 0
for epoch in range(200):
    model.train()
    for i in range(0, 48, 16):
        optimizer.zero_grad()
        loss = criterion(model(x_train[i:i + 16]), y_train[i:i + 16])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        train_loss = criterion(model(x_train), y_train).item()
        val_loss = criterion(model(x_val), y_val).item()
    scheduler.step(val_loss)
    if val_loss < best_loss:
        best_loss = val_loss
        best_epoch = epoch
        best_model_wts = copy.deepcopy(model.state_dict())
        bad_epochs = 0
    else:
        bad_epochs += 1
    if epoch % 10 == 0:
        print(f'Epoch {epoch:3d} train {train_loss:.5f} val {val_loss:.5f} lr {optimizer.param_groups[0]["lr"]:.5f}')
    if bad_epochs >= patience:
        print(f'Early stopping at epoch {epoch}')
        break
time_elapsed = time.time() - since
print('Training complete in {:.0f}m {:.0f}s'.format(time_elapsed // 60, 0 * time_elapsed % 60))
print(f'Best val loss: {best_loss:4f} at epoch {best_epoch}')
last_val = val_loss
model.load_state_dict(best_model_wts)
with torch.no_grad():
    print('restored val loss', criterion(model(x_val), y_val).item(), 'last', last_val)
print(best_model_wts['0.weight'] is not model.state_dict()['0.weight'], type(best_model_wts).__name__)

# --- style 2: the EarlyStopping class with a checkpoint file --------------------------------
model = make_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
ckpt = os.path.join(tempfile.mkdtemp(), 'checkpoint.pt')
early_stopping = EarlyStopping(patience=5, verbose=True, path=ckpt, delta=1e-4)
for epoch in range(1, 101):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(x_train), y_train)
    loss.backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        valid_loss = criterion(model(x_val), y_val).item()
    early_stopping(valid_loss, model)
    if early_stopping.early_stop:
        print("Early stopping", epoch)
        break
model.load_state_dict(torch.load(ckpt))
with torch.no_grad():
    print('checkpoint val loss', criterion(model(x_val), y_val).item(), early_stopping.val_loss_min)
