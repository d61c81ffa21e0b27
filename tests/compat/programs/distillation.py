# style: knowledge distillation (teacher/student MLPs, soft targets with F.kl_div(F.log_softmax(s / T, dim=1), F.softmax(t / T, dim=1), reduction='batchmean') * T * T, hard-label CrossEntropy, alpha mix, teacher.eval() under torch.no_grad(), nn.KLDivLoss(log_target=True), label smoothing baseline)
# compat: rtol=2e-4
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rs = np.random.RandomState(0)
n, d, k = 240, 10, 4
centers = rs.normal(0, 2, (k, d)).astype(np.float32)
y_np = rs.randint(0, k, n)
x_np = (centers[y_np] + rs.normal(0, 1.5, (n, d))).astype(np.float32)
x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
x_train, y_train, x_test, y_test = x[:180], y[:180], x[180:], y[180:]


def mlp(widths):
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def numpy_init(model):
    for p in model.parameters():
        p.data = torch.from_numpy(rs.uniform(-0.3, 0.3, p.shape).astype(np.float32))
    return model


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


teacher = numpy_init(mlp([d, 64, 64, k]))
student = numpy_init(mlp([d, 8, k]))
baseline = mlp([d, 8, k])
baseline.load_state_dict(student.state_dict())
print(sum(p.numel() for p in teacher.parameters()), sum(p.numel() for p in student.parameters()))

# train the teacher
opt = torch.optim.Adam(teacher.parameters(), lr=1e-2)
for epoch in range(30):
    teacher.train()
    opt.zero_grad()
    loss = F.cross_entropy(teacher(x_train), y_train)
    loss.backward()
    opt.step()
print(f"teacher loss {loss.item():.5f} acc {accuracy(teacher, x_test, y_test):.2%}")


def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.7):
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=1),
                    F.softmax(teacher_logits / T, dim=1),
                    reduction='batchmean') * (T * T)
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1. - alpha) * hard, soft, hard


opt_s = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9)
opt_b = torch.optim.SGD(baseline.parameters(), lr=0.05, momentum=0.9)
smooth = nn.CrossEntropyLoss(label_smoothing=0.1)
teacher.eval()
for epoch in range(40):
    student.train()
    baseline.train()
    for i in range(0, 180, 60):
        xb, yb = x_train[i:i + 60], y_train[i:i + 60]
        with torch.no_grad():
            teacher_logits = teacher(xb)
        loss, soft, hard = distillation_loss(student(xb), teacher_logits, yb)
        opt_s.zero_grad()
        loss.backward()
        opt_s.step()
        b_loss = smooth(baseline(xb), yb)
        opt_b.zero_grad()
        b_loss.backward()
        opt_b.step()
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: distill {loss.item():.5f} (soft {soft.item():.5f}, hard {hard.item():.5f}) "
              f"baseline {b_loss.item():.5f}")

print(f"student acc {accuracy(student, x_test, y_test):.2%}, baseline acc {accuracy(baseline, x_test, y_test):.2%}")

# the same soft loss through the module forms
s_logits, t_logits = student(x_test[:5]), teacher(x_test[:5])
kl = nn.KLDivLoss(reduction='batchmean')
kl_log = nn.KLDivLoss(reduction='batchmean', log_target=True)
a = kl(F.log_softmax(s_logits / 2, dim=-1), F.softmax(t_logits / 2, dim=-1))
b = kl_log(F.log_softmax(s_logits / 2, dim=-1), F.log_softmax(t_logits / 2, dim=-1))
print(a, b, torch.allclose(a, b))
print(F.kl_div(F.log_softmax(s_logits, 1), F.softmax(t_logits, 1), reduction='none').sum(1))
print(F.kl_div(F.log_softmax(s_logits, 1), F.softmax(t_logits, 1), reduction='sum'))
print(F.kl_div(F.log_softmax(s_logits, 1), F.softmax(t_logits, 1), reduction='mean'))
