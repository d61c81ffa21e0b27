# style: yunjey/pytorch-tutorial 01-basics/pytorch_basics + linear_regression + logistic_regression + feedforward_neural_network (autograd example 1/2, print('w: ', linear.weight), 'loss after 1 step optimization: ', torch.from_numpy(x_train), 'Epoch [{}/{}], Loss: {:.4f}', model.parameters() printing, torch.save(model.state_dict(), 'model.ckpt'))
# compat: rtol=2e-4
import numpy as np
import torch
import torch.nn as nn

# ================================================================== #
#                     1. Basic autograd example 1                    #
# ================================================================== #

# Create tensors.
x = torch.tensor(1., requires_grad=True)
w = torch.tensor(2., requires_grad=True)
b = torch.tensor(3., requires_grad=True)

# Build a computational graph.
y = w * x + b    # y = 2 * x + 3

# Compute gradients.
y.backward()

# Print out the gradients.
print(x.grad)    # x.grad = 2
print(w.grad)    # w.grad = 1
print(b.grad)    # b.grad = 1

# ================================================================== #
#                    2. Basic autograd example 2                     #
# ================================================================== #

rs = np.random.RandomState(0)
# Create tensors of shape (10, 3) and (10, 2).
x = torch.from_numpy(rs.randn(10, 3).astype(np.float32))
y = torch.from_numpy(rs.randn(10, 2).astype(np.float32))

# Build a fully connected layer.
linear = nn.Linear(3, 2)
linear.weight.data = torch.from_numpy(rs.uniform(-0.5, 0.5, (2, 3)).astype(np.float32))
linear.bias.data = torch.from_numpy(rs.uniform(-0.5, 0.5, (2,)).astype(np.float32))
print('w: ', linear.weight)
print('b: ', linear.bias)

# Build loss function and optimizer.
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(linear.parameters(), lr=0.01)

# Forward pass.
pred = linear(x)

# Compute loss.
loss = criterion(pred, y)
print('loss: ', loss.item())

# Backward pass.
loss.backward()

# Print out the gradients.
print('dL/dw: ', linear.weight.grad)
print('dL/db: ', linear.bias.grad)

# 1-step gradient descent.
optimizer.step()

# You can also perform gradient descent at the low level.
# linear.weight.data.sub_(0.01 * linear.weight.grad.data)
# linear.bias.data.sub_(0.01 * linear.bias.grad.data)

# Print out the loss after 1-step gradient descent.
pred = linear(x)
loss = criterion(pred, y)
print('loss after 1 step optimization: ', loss.item())

# ================================================================== #
#                     3. Loading data from numpy                     #
# ================================================================== #

# Create a numpy array.
x = np.array([[1, 2], [3, 4]])

# Convert the numpy array to a torch tensor.
y = torch.from_numpy(x)

# Convert the torch tensor to a numpy array.
z = y.numpy()
print(y, z, type(z), z.dtype)

# ================================================================== #
#                        linear regression                           #
# ================================================================== #

# Hyper-parameters
input_size = 1
output_size = 1
num_epochs = 60
learning_rate = 0.001

# Toy dataset
x_train = np.array([[3.3], [4.4], [5.5], [6.71], [6.93], [4.168],
                    [9.779], [6.182], [7.59], [2.167], [7.042],
                    [10.791], [5.313], [7.997], [3.1]], dtype=np.float32)

y_train = np.array([[1.7], [2.76], [2.09], [3.19], [1.694], [1.573],
                    [3.366], [2.596], [2.53], [1.221], [2.827],
                    [3.465], [1.65], [2.904], [1.3]], dtype=np.float32)

# Linear regression model
model = nn.Linear(input_size, output_size)
model.weight.data.fill_(0.2)
model.bias.data.fill_(-0.1)

# Loss and optimizer
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

# Train the model
for epoch in range(num_epochs):
    # Convert numpy arrays to torch tensors
    inputs = torch.from_numpy(x_train)
    targets = torch.from_numpy(y_train)

    # Forward pass
    outputs = model(inputs)
    loss = criterion(outputs, targets)

    # Backward and optimize
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if (epoch + 1) % 10 == 0:
        print('Epoch [{}/{}], Loss: {:.4f}'.format(epoch + 1, num_epochs, loss.item()))

# Plot the graph
predicted = model(torch.from_numpy(x_train)).detach().numpy()
print(predicted[:3].ravel(), predicted.dtype)

# Save the model checkpoint
torch.save(model.state_dict(), 'model.ckpt')
print(torch.load('model.ckpt'))

# ================================================================== #
#              logistic regression + feedforward network             #
# ================================================================== #

input_size = 16
num_classes = 4
hidden_size = 12
batch_size = 20
num_epochs = 3
protos = rs.randn(num_classes, input_size).astype(np.float32)
labels = rs.randint(0, num_classes, 200)
images = protos[labels] + rs.randn(200, input_size).astype(np.float32)
train_dataset = torch.utils.data.TensorDataset(torch.from_numpy(images), torch.from_numpy(labels))
train_loader = torch.utils.data.DataLoader(dataset=train_dataset, batch_size=batch_size, shuffle=False)


# Fully connected neural network with one hidden layer
class NeuralNet(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super(NeuralNet, self).__init__()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out = self.fc1(x)
        out = self.relu(out)
        out = self.fc2(out)
        return out


for model in (nn.Linear(input_size, num_classes), NeuralNet(input_size, hidden_size, num_classes)):
    for param in model.parameters():
        param.data = torch.from_numpy(rs.uniform(-0.3, 0.3, tuple(param.size())).astype(np.float32))
    for name, param in model.named_parameters():
        print(name, param.size(), param.requires_grad)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    total_step = len(train_loader)
    for epoch in range(num_epochs):
        for i, (images, labels) in enumerate(train_loader):
            images = images.reshape(-1, input_size)
            outputs = model(images)
            loss = criterion(outputs, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if (i + 1) % 5 == 0:
                print('Epoch [{}/{}], Step [{}/{}], Loss: {:.4f}'
                      .format(epoch + 1, num_epochs, i + 1, total_step, loss.item()))
    with torch.no_grad():
        correct = 0
        total = 0
        for images, labels in train_loader:
            outputs = model(images.reshape(-1, input_size))
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum()
        print('Accuracy of the model on the {} train images: {} %'.format(total, 100 * correct / total))
    print(model)
