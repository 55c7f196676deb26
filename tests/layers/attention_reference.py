"""NumPy reference implementations of the attention scores (tests only)."""

import numpy as np


def softmax_masked(scores, mask):
    if mask is not None:
        scores = np.where(mask[:, None, :], scores, -np.inf)
    scores = scores - scores.max(-1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(-1, keepdims=True)


def location_features(previous, cumulative, kernel, projection):
    """Chorowski et al.'s location term `(B, Tv, U)`: a 'same' 1-D
    cross-correlation of the two alignments `(B, Tv)` with `kernel (K, 2,
    F)`, then `projection (F, U)`."""
    looked = np.stack([previous, cumulative], -1)  # (B, Tv, 2)
    size, steps = kernel.shape[0], looked.shape[1]
    left = (size - 1) // 2
    padded = np.pad(looked, ((0, 0), (left, size - 1 - left), (0, 0)))
    features = np.stack(
        [np.einsum("bkc,kcf->bf", padded[:, j : j + size], kernel) for j in range(steps)], 1
    )  # (B, Tv, F)
    return features @ projection


def bahdanau(query, value, wq, wk, v, mask=None, gain=None, bias=None, location=None):
    keys = value @ wk if location is None else value @ wk + location  # (B, Tv, U)
    hidden = (query @ wq)[:, :, None, :] + keys[:, None, :, :]  # (B, Tq, Tv, U)
    if gain is not None:
        hidden = hidden + bias
        v = gain * v / np.linalg.norm(v)
    weights = softmax_masked(np.tanh(hidden) @ v, mask)
    return weights @ value, weights


def luong(query, value, mode, weights_by_name, mask=None, scale=None):
    if mode == "dot":
        scores = query @ value.transpose(0, 2, 1)
    elif mode == "general":
        scores = query @ (value @ weights_by_name["key_kernel"]).transpose(0, 2, 1)
    else:
        hidden = (query @ weights_by_name["query_kernel"])[:, :, None, :] + (value @ weights_by_name["key_kernel"])[
            :, None, :, :
        ]
        scores = np.tanh(hidden) @ weights_by_name["score_vector"]
    if scale is not None:
        scores = scores * scale
    weights = softmax_masked(scores, mask)
    return weights @ value, weights
