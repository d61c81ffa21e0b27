# style: 中文课程风格 (Chinese-course script: comments and prints in Chinese)
# compat: rtol=1e-5
import numpy as np
import torch
from torch import nn, optim

# 第一步：准备数据（房屋面积 -> 价格）
np.random.seed(42)
面积 = np.random.uniform(50, 150, size=(100, 1)).astype(np.float32)
价格 = (面积 * 0.8 + 20 + np.random.normal(0, 5, size=(100, 1))).astype(np.float32)
x = torch.from_numpy((面积 - 100) / 30)  # 标准化
y = torch.from_numpy((价格 - 100) / 30)
print("数据形状:", x.shape, y.shape)


# 第二步：定义模型
class 线性回归(nn.Module):
    def __init__(self):
        super().__init__()
        self.线性层 = nn.Linear(1, 1)

    def forward(self, 输入):
        return self.线性层(输入)


模型 = 线性回归()
with torch.no_grad():
    模型.线性层.weight.fill_(0.1)
    模型.线性层.bias.fill_(0.0)
print(模型)

# 第三步：损失函数和优化器
损失函数 = nn.MSELoss()
优化器 = optim.SGD(模型.parameters(), lr=0.1, momentum=0.9)

# 第四步：训练
for 轮次 in range(1, 31):
    预测 = 模型(x)
    损失 = 损失函数(预测, y)
    优化器.zero_grad()
    损失.backward()
    优化器.step()
    if 轮次 % 5 == 0:
        print(f"第{轮次}轮, 损失: {损失.item():.6f}")

# 第五步：查看结果
权重, 偏置 = 模型.线性层.weight.item(), 模型.线性层.bias.item()
print(f"学到的权重: {权重:.4f}, 偏置: {偏置:.4f}")
with torch.no_grad():
    新面积 = torch.tensor([[(120.0 - 100) / 30]])
    print("面积120平米的预测价格:", (模型(新面积) * 30 + 100).item())
print("训练完成！")
