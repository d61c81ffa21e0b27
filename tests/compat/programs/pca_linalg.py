# style: linear algebra in PyTorch notebooks (least squares with torch.linalg.lstsq / solve / inverse, PCA by centering + torch.linalg.svd(full_matrices=False) and by torch.linalg.eigh of the covariance with sign-fixed components, explained variance ratio, torch.pca_lowrank-free reconstruction error, torch.linalg.norm/matrix_rank/det/qr/cholesky, torch.cov, torch.corrcoef, torch.cdist for k-means style assignment)
# compat: rtol=1e-4, atol=1e-5
import numpy as np
import torch

rs = np.random.RandomState(0)
X = torch.from_numpy(rs.normal(0, 1, (50, 3)))                 # float64 from NumPy
w_true = torch.tensor([[2.0], [-1.0], [0.5]], dtype=torch.float64)
y = X @ w_true + 0.01 * torch.from_numpy(rs.normal(0, 1, (50, 1)))
A = torch.cat([X, torch.ones(50, 1, dtype=torch.float64)], dim=1)

sol = torch.linalg.lstsq(A, y).solution
print('lstsq', sol.view(-1))
normal = torch.linalg.solve(A.T @ A, A.T @ y)
print('normal equations', normal.view(-1), torch.allclose(sol, normal))
print('inverse', (torch.inverse(A.T @ A) @ A.T @ y).view(-1))
print('pinv', (torch.linalg.pinv(A) @ y).view(-1))

# PCA on correlated 2-D data
Z = torch.from_numpy(rs.normal(0, 1, (200, 2)).astype(np.float32))
data = Z @ torch.tensor([[3.0, 1.0], [1.0, 0.5]]) + torch.tensor([5.0, -2.0])
mean = data.mean(dim=0)
centered = data - mean
U, S, Vh = torch.linalg.svd(centered, full_matrices=False)
components = Vh * torch.sign(Vh[:, :1])          # fix the sign ambiguity
explained = S ** 2 / (len(data) - 1)
print('mean', mean, 'singular values', S)
print('components', components)
print('explained variance ratio', explained / explained.sum())
cov = torch.cov(centered.T)
evals, evecs = torch.linalg.eigh(cov)
evecs = evecs * torch.sign(evecs[:1, :])
print('eigh', evals, evecs)
print('cov vs explained', torch.allclose(evals.flip(0), explained, rtol=1e-4))
proj = centered @ components[:1].T
recon = proj @ components[:1] + mean
print('reconstruction mse', ((recon - data) ** 2).mean())
print('corrcoef', torch.corrcoef(data.T))

M = torch.tensor([[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]])
print(torch.linalg.norm(M), torch.linalg.norm(M, ord=2), torch.linalg.matrix_rank(M), torch.det(M), torch.linalg.det(M))
L = torch.linalg.cholesky(M)
print(L, torch.allclose(L @ L.T, M))
Q, R = torch.linalg.qr(M)
print(torch.allclose(Q @ R, M, atol=1e-6), torch.allclose(Q.T @ Q, torch.eye(3), atol=1e-6), R.diagonal().abs())
print(torch.linalg.eigvalsh(M), torch.trace(M), torch.linalg.matrix_norm(M, 'fro'), torch.linalg.vector_norm(M[0], 1))

# k-means-style assignment with cdist
points = torch.from_numpy(rs.normal(0, 1, (12, 2)).astype(np.float32)) + torch.tensor([[0.0, 0.0]] * 6 + [[5.0, 5.0]] * 6)
centers = torch.tensor([[0.0, 0.0], [5.0, 5.0]])
for it in range(3):
    dist = torch.cdist(points, centers)
    assign = dist.argmin(dim=1)
    centers = torch.stack([points[assign == k].mean(0) for k in range(2)])
print(assign, centers, dist.min(dim=1).values.sum())
