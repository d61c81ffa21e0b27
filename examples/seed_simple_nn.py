"""The seed tutorial's program (a 2-3-1 network trained with MSE and SGD), run on chainrule.

Only two things differ from the tutorial's PyTorch code:

* the imports: ``import chainrule as torch`` instead of ``import torch``;
* the data are floats (``[[1.0, 2.0], ...]``) instead of integers. Gradients are defined only
  for floating-point tensors, so ``torch.tensor([[1, 2], ...], requires_grad=True)`` (an
  int64 tensor) raises "Only Tensors of floating point and complex dtype can require
  gradients" -- in PyTorch and in chainrule alike. The tutorial's code cannot run as printed.

Run: ``python examples/seed_simple_nn.py`` (prints the loss of each of the 100 epochs, then
the predictions).
"""

import chainrule as torch
import chainrule.nn as nn  # noqa: PLR0402 - the tutorial's import lines, renamed only
import chainrule.optim as optim  # noqa: PLR0402


# 定义神经网络 (the network)
class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.fc2 = nn.Linear(3, 1)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.fc1(x)
        x = self.relu(x)
        x = self.fc2(x)
        return x


# 创建模型和优化器 (model and optimizer)
model = SimpleNN()
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)

# 创建数据 (data: floats, see the docstring)
x = torch.tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], requires_grad=True)
y = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)

# 训练模型 (training)
for epoch in range(100):
    optimizer.zero_grad()
    output = model(x)
    loss = criterion(output, y)
    loss.backward()
    optimizer.step()

    print(f"Epoch {epoch+1}, Loss: {loss.item()}")

# 预测 (prediction)
output = model(x)
print(f"Predicted: {output}")
