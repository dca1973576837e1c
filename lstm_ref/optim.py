"""Optimisers and gradient clipping over dicts of named arrays.

Parameters and gradients are ``dict[str, ndarray]`` with the same keys
(``model.params`` and the ``grads`` that ``model.loss`` returns). Every
update happens in place, so a model holding the arrays sees the change.
"""
from __future__ import annotations

import numpy as np

from .validate import check_positive

__all__ = ["SGD", "Adam", "global_norm", "clip_grad_norm", "clip_grad_value"]


def _check_pair(params: dict, grads: dict) -> None:
    if set(params) != set(grads):
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        raise ValueError(f"grads: expected the keys of params; missing {missing}, extra {extra}")
    for k, p in params.items():
        g = grads[k]
        if np.shape(g) != np.shape(p):
            raise ValueError(f"grads[{k!r}]: expected shape {np.shape(p)}, got {np.shape(g)}")


class SGD:
    """Stochastic gradient descent with optional (heavy-ball) momentum.

        v ← μ v + g;   p ← p − lr · v        (μ = 0: p ← p − lr · g)
    """

    def __init__(self, lr: float, momentum: float = 0.0):
        self.lr = check_positive("lr", lr)
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"momentum: expected a number in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, params: dict, grads: dict) -> None:
        """Update every ``params[k]`` in place from ``grads[k]`` (same shapes)."""
        _check_pair(params, grads)
        for k, p in params.items():
            g = grads[k]
            if self.momentum:
                v = self.velocity.setdefault(k, np.zeros_like(p))
                v *= self.momentum
                v += g
                g = v
            p -= self.lr * g


class Adam:
    """Adam (Kingma & Ba, 2015), with bias correction.

        m ← β₁ m + (1 − β₁) g;        v ← β₂ v + (1 − β₂) g²
        m̂ = m / (1 − β₁ᵗ);            v̂ = v / (1 − β₂ᵗ)
        p ← p − lr · m̂ / (√v̂ + ε)

    ``t`` counts calls to ``step`` from 1. The very first step therefore
    moves every parameter by about ``lr`` against the sign of its gradient,
    whatever the gradient's size.
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        self.lr = check_positive("lr", lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= float(beta) < 1.0:
                raise ValueError(f"{name}: expected a number in [0, 1), got {beta}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.eps = check_positive("eps", eps)
        self.t = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: dict, grads: dict) -> None:
        """Update every ``params[k]`` in place from ``grads[k]`` (same shapes)."""
        _check_pair(params, grads)
        self.t += 1
        c1 = 1.0 - self.beta1 ** self.t
        c2 = 1.0 - self.beta2 ** self.t
        for k, p in params.items():
            g = grads[k]
            m, v = self.m.get(k), self.v.get(k)
            if m is None:   # the first step (not setdefault: it would allocate every step)
                m = self.m[k] = np.zeros_like(p)
                v = self.v[k] = np.zeros_like(p)
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * (g * g)
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def global_norm(grads: dict) -> float:
    """‖g‖ = sqrt(Σ_k Σ_elements g_k²): the norm of all gradients as one vector."""
    return float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64)))
                             for g in grads.values())))


def clip_grad_norm(grads: dict, max_norm: float) -> float:
    """Rescale all gradients together so their global norm is at most ``max_norm``.

        scale = min(1, max_norm / ‖g‖);   g_k ← scale · g_k   for every k

    The direction of the whole update is kept; only its length shrinks.
    Changes ``grads`` in place and returns the norm *before* clipping (what a
    training curve should plot, to see explosions).
    """
    limit = check_positive("max_norm", max_norm)
    total = global_norm(grads)
    if not np.isfinite(total):
        raise ValueError(f"grads: global norm is {total}; the gradients hold inf or nan")
    if total > limit:
        scale = limit / total
        for g in grads.values():
            g *= scale
    return total


def clip_grad_value(grads: dict, clip_value: float) -> None:
    """Clip every gradient element to [−clip_value, clip_value], in place.

        g_clipped = min(max(g, −clip_value), clip_value)   elementwise, any shape

    Unlike ``clip_grad_norm`` this can change the update's direction (the
    large components are cut, the small ones kept).
    """
    limit = check_positive("clip_value", clip_value)
    for g in grads.values():
        np.clip(g, -limit, limit, out=g)
