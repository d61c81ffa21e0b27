# style: the seed tutorial's program (2-3-1 net, MSE, SGD), float data, fixed initial weights
# compat: rtol=1e-5
import torch
from torch import nn, optim


# 定义神经网络
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


# 创建模型和优化器
model = SimpleNN()
with torch.no_grad():  # fixed weights so both libraries start from the same point
    model.fc1.weight.copy_(torch.tensor([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.25]]))
    model.fc1.bias.copy_(torch.tensor([0.1, -0.1, 0.05]))
    model.fc2.weight.copy_(torch.tensor([[0.2, 0.3, -0.1]]))
    model.fc2.bias.copy_(torch.tensor([0.0]))
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)

# 创建数据
x = torch.tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], requires_grad=True)
y = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)

# 训练模型
for epoch in range(100):
    optimizer.zero_grad()
    output = model(x)
    loss = criterion(output, y)
    loss.backward()
    optimizer.step()

    print(f"Epoch {epoch+1}, Loss: {loss.item()}")

# 预测
output = model(x)
print(f"Predicted: {output}")
print(model)
print(model.fc2.weight)
