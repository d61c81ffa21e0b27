# style: 莫烦Python 401 CNN (digits-like uint8 images, unsqueeze(...).type(torch.FloatTensor)/255., Conv2d(in_channels=..., out_channels=...), forward returns (output, x), torch.max(test_output, 1)[1].data.numpy())
# compat: rtol=2e-4
import numpy as np
import torch
import torch.nn as nn
import torch.utils.data as Data

torch.manual_seed(1)    # reproducible

# Hyper Parameters
EPOCH = 2               # train the training data n times, to save time, we just train 1 epoch
BATCH_SIZE = 25
LR = 0.001              # learning rate

# MNIST-like digits: each class lights up its own pattern of 3x3 blocks on a 14x14 canvas
rs = np.random.RandomState(0)
N = 200
labels = rs.randint(0, 10, size=N)
images = rs.randint(0, 60, size=(N, 14, 14)).astype(np.uint8)
for k in range(10):
    r, c = divmod(k, 4)
    images[labels == k, 1 + 3 * r:4 + 3 * r, 1 + 3 * c:4 + 3 * c] = 255
train_data = Data.TensorDataset(
    torch.unsqueeze(torch.from_numpy(images[:150]), dim=1).type(torch.FloatTensor) / 255.,
    torch.from_numpy(labels[:150]))
print(train_data[0][0].size(), train_data[0][1])
train_loader = Data.DataLoader(dataset=train_data, batch_size=BATCH_SIZE, shuffle=False)

# pick test samples to speed up testing
test_x = torch.unsqueeze(torch.from_numpy(images[150:]), dim=1).type(torch.FloatTensor)[:50] / 255.   # shape from (50, 14, 14) to (50, 1, 14, 14), value in range(0,1)
test_y = torch.from_numpy(labels[150:])[:50]
print(test_x.shape, test_x.dtype, test_y.dtype)


class CNN(nn.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.conv1 = nn.Sequential(         # input shape (1, 14, 14)
            nn.Conv2d(
                in_channels=1,              # input height
                out_channels=8,             # n_filters
                kernel_size=5,              # filter size
                stride=1,                   # filter movement/step
                padding=2,                  # if want same width and length of this image after Conv2d, padding=(kernel_size-1)/2 if stride=1
            ),                              # output shape (8, 14, 14)
            nn.ReLU(),                      # activation
            nn.MaxPool2d(kernel_size=2),    # choose max value in 2x2 area, output shape (8, 7, 7)
        )
        self.conv2 = nn.Sequential(         # input shape (8, 7, 7)
            nn.Conv2d(8, 16, 5, 1, 2),      # output shape (16, 7, 7)
            nn.ReLU(),                      # activation
            nn.MaxPool2d(2),                # output shape (16, 3, 3)
        )
        self.out = nn.Linear(16 * 3 * 3, 10)   # fully connected layer, output 10 classes

    def forward(self, x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = x.view(x.size(0), -1)           # flatten the output of conv2 to (batch_size, 16 * 3 * 3)
        output = self.out(x)
        return output, x    # return x for visualization


cnn = CNN()
init = np.random.RandomState(1)
for name, param in cnn.named_parameters():
    bound = 1.0 / np.sqrt(param[0].numel()) if param.dim() > 1 else 0.05
    param.data = torch.from_numpy(init.uniform(-bound, bound, param.shape).astype(np.float32))
print(cnn)  # net architecture

optimizer = torch.optim.Adam(cnn.parameters(), lr=LR)   # optimize all cnn parameters
loss_func = nn.CrossEntropyLoss()                       # the target label is not one-hotted

# training and testing
for epoch in range(EPOCH):
    for step, (b_x, b_y) in enumerate(train_loader):   # gives batch data, normalize x when iterate train_loader

        output = cnn(b_x)[0]               # cnn output
        loss = loss_func(output, b_y)   # cross entropy loss
        optimizer.zero_grad()           # clear gradients for this training step
        loss.backward()                 # backpropagation, compute gradients
        optimizer.step()                # apply gradients

        if step % 2 == 0:
            test_output, last_layer = cnn(test_x)
            pred_y = torch.max(test_output, 1)[1].data.numpy()
            accuracy = float((pred_y == test_y.data.numpy()).astype(int).sum()) / float(test_y.size(0))
            print('Epoch: ', epoch, '| train loss: %.4f' % loss.data.numpy(), '| test accuracy: %.2f' % accuracy)

# print 10 predictions from test data
test_output, _ = cnn(test_x[:10])
pred_y = torch.max(test_output, 1)[1].data.numpy()
print(pred_y, 'prediction number')
print(test_y[:10].numpy(), 'real number')
print(last_layer.shape, last_layer[0, :6])
