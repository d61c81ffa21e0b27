# style: 莫烦Python 305 batch training (Data.TensorDataset(x, y), Data.DataLoader(shuffle=True, num_workers=2), printing batch_x.numpy()) under if __name__ == '__main__'
# compat: rtol=1e-5
import torch
import torch.utils.data as Data

torch.manual_seed(1)    # reproducible

BATCH_SIZE = 5
# BATCH_SIZE = 8

x = torch.linspace(1, 10, 10)       # this is x data (torch tensor)
y = torch.linspace(10, 1, 10)       # this is y data (torch tensor)

torch_dataset = Data.TensorDataset(x, y)
loader = Data.DataLoader(
    dataset=torch_dataset,      # torch TensorDataset format
    batch_size=BATCH_SIZE,      # mini batch size
    shuffle=True,               # random shuffle for training
    num_workers=2,              # subprocesses for loading data
)


def show_batch():
    for epoch in range(3):   # train entire dataset 3 times
        seen = []
        for step, (batch_x, batch_y) in enumerate(loader):  # for each training step
            # train your data...
            print('Epoch: ', epoch, '| Step: ', step, '| batch x: ',
                  batch_x.numpy(), '| batch y: ', batch_y.numpy())
            seen += batch_x.tolist()
            assert torch.equal(batch_x + batch_y, torch.full((len(batch_x),), 11.0))
        print('epoch', epoch, 'saw', sorted(seen))


if __name__ == '__main__':
    show_batch()
    print(len(loader), len(torch_dataset), torch_dataset[2])
    loader8 = Data.DataLoader(dataset=torch_dataset, batch_size=8, shuffle=False)
    for step, (bx, by) in enumerate(loader8):
        print('Step: ', step, '| batch x: ', bx.numpy(), '| batch y: ', by.numpy())
