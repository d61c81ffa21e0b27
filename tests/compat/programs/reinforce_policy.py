# style: pytorch/examples reinforcement_learning/reinforce.py (Policy with affine1/dropout/affine2 and F.softmax(action_scores, dim=1), Categorical(probs), m.sample(), policy.saved_log_probs.append(m.log_prob(action)), returns.insert(0, R), eps = np.finfo(np.float32).eps.item(), (returns - returns.mean()) / (returns.std() + eps), torch.cat(policy_loss).sum(), running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward, del policy.rewards[:])
# compat: rtol=1e-4, decreasing=Average length
import argparse
from itertools import count

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical

parser = argparse.ArgumentParser(description='PyTorch REINFORCE example')
parser.add_argument('--gamma', type=float, default=0.99, metavar='G',
                    help='discount factor (default: 0.99)')
parser.add_argument('--seed', type=int, default=543, metavar='N',
                    help='random seed (default: 543)')
parser.add_argument('--log-interval', type=int, default=20, metavar='N',
                    help='interval between training status logs (default: 20)')
args = parser.parse_args()


class Corridor:
    """A CartPole stand-in: walk right from 0 to 8; each step costs, reaching 8 pays; 30 steps max."""

    def __init__(self):
        self.spec_reward_threshold = 0.0

    def reset(self, seed=None):
        self.pos = 0
        return self.obs(), {}

    def obs(self):
        o = np.zeros(9, dtype=np.float32)
        o[self.pos] = 1.0
        return o

    def step(self, action):
        self.pos = max(0, self.pos + (1 if action == 1 else -1))
        done = self.pos == 8
        return self.obs(), (10.0 if done else -1.0), done, False, {}


env = Corridor()
env.reset(seed=args.seed)
torch.manual_seed(args.seed)


class Policy(nn.Module):
    def __init__(self):
        super(Policy, self).__init__()
        self.affine1 = nn.Linear(9, 32)
        self.dropout = nn.Dropout(p=0.6)
        self.affine2 = nn.Linear(32, 2)

        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = self.affine1(x)
        x = self.dropout(x)
        x = F.relu(x)
        action_scores = self.affine2(x)
        return F.softmax(action_scores, dim=1)


policy = Policy()
optimizer = optim.Adam(policy.parameters(), lr=1e-2)
eps = np.finfo(np.float32).eps.item()


def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0)
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode():
    R = 0
    policy_loss = []
    returns = []
    for r in policy.rewards[::-1]:
        R = r + args.gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    for log_prob, R in zip(policy.saved_log_probs, returns):
        policy_loss.append(-log_prob * R)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]


def main():
    running_reward = -30
    lengths = []
    for i_episode in count(1):
        state, _ = env.reset()
        ep_reward = 0
        for t in range(1, 31):  # Don't infinite loop while learning
            action = select_action(state)
            state, reward, done, _, _ = env.step(action)
            policy.rewards.append(reward)
            ep_reward += reward
            if done:
                break
        lengths.append(t)
        running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
        finish_episode()
        if i_episode % args.log_interval == 0:
            print('Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}'.format(
                  i_episode, ep_reward, running_reward))
            print('  Average length {:.2f}'.format(np.mean(lengths[-args.log_interval:])))
        if i_episode >= 200:
            break
    print('learned to walk right:', np.mean(lengths[-20:]) < 20)


if __name__ == '__main__':
    main()
    m = Categorical(torch.tensor([[0.25, 0.75]]))
    print(m.probs, m.logits, m.entropy(), m.log_prob(torch.tensor([1])), m.sample().shape)
    print(Categorical(logits=torch.tensor([0.0, 1.0, 2.0])).probs)
