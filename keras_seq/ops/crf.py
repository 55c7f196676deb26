"""Linear-chain CRF algorithms over packed scores, in `keras.ops` only.

A sentence of `T` steps and `K` tags has the score

    s(y) = start[y_1] + sum_t e_t[y_t] + sum_{t>1} A[y_{t-1}, y_t] + end[y_T]

and the probability `exp(s(y)) / Z`, `Z` summing over every tag path. The
functions here read one tensor, the **packed scores** `(B, T, K+1, K)` that
`crf_pack` (and the `CRF` layer) writes: rows `0..K-1` of step `t` hold the
pairwise scores `psi_t[i, j]` of moving from tag `i` at the previous real
step to tag `j` at step `t` (the start scores folded into a sentence's first
real step, the end scores into its last), and row `K` holds the step's mask
(1.0 real, 0.0 padding) in every column. One tensor carries all a loss, a
metric or a decoder needs, so a compiled model's output is enough.

Padding may sit anywhere (right-padding is the usual case): a masked step
leaves every running quantity as it was, and the path skips it.
"""

import keras
from keras import ops

from keras_seq.ops._scan import scan

NEG = -1e9  # the score of what cannot happen (finite, so that 0 * NEG is 0)


def compute_dtype(x):
    """float64 for float64 inputs (exact tests), float32 otherwise."""
    dtype = getattr(x, "dtype", None)
    return "float64" if dtype is not None and keras.backend.standardize_dtype(dtype) == "float64" else "float32"


def crf_pack(emissions, transitions, start, end, mask=None, allowed=None):
    """The packed scores `(B, T, K+1, K)` of a linear-chain CRF.

    Args:
        emissions: `(B, T, K)` per-token tag scores.
        transitions: `(K, K)`, `transitions[i, j]` the score of tag `j`
            right after tag `i`.
        start, end: `(K,)` scores of a sentence's first and last tag.
        mask: optional bool `(B, T)`, True at real steps.
        allowed: optional `(K+2, K+2)` 0/1 matrix of allowed transitions
            (rows and columns `K` and `K+1` being the sentence's start and
            end); what it forbids scores `NEG`.

    Returns:
        The packed scores, float32 (float64 for float64 emissions).
    """
    dtype = compute_dtype(emissions)
    e = ops.cast(emissions, dtype)  # (B, T, K)
    a, s, f = ops.cast(transitions, dtype), ops.cast(start, dtype), ops.cast(end, dtype)
    if allowed is not None:
        allowed = ops.cast(allowed, dtype)
        k = a.shape[0]
        a = a + (1.0 - allowed[:k, :k]) * NEG
        s = s + (1.0 - allowed[k, :k]) * NEG
        f = f + (1.0 - allowed[:k, k + 1]) * NEG
    m = ops.ones(ops.shape(e)[:2], dtype) if mask is None else ops.cast(mask, dtype)  # (B, T)
    seen = ops.cumsum(m, axis=1)  # (B, T): real steps so far
    first = m * ops.cast(ops.equal(seen, 1.0), dtype)  # (B, T)
    last = m * ops.cast(ops.equal(seen, seen[:, -1:]), dtype)  # (B, T)
    first4, last4 = first[:, :, None, None], last[:, :, None, None]  # (B, T, 1, 1)
    pair = (1.0 - first4) * a[None, None] + first4 * s[None, None, None, :]  # (B, T, K, K)
    pair = pair + e[:, :, None, :] + last4 * f[None, None, None, :]  # (B, T, K, K)
    pair = pair * m[:, :, None, None]  # padding scores 0 (never read)
    mask_row = ops.broadcast_to(m[:, :, None, None], ops.shape(pair[:, :, :1, :]))  # (B, T, 1, K)
    return ops.concatenate([pair, mask_row], axis=2)  # (B, T, K+1, K)


def crf_unpack(packed):
    """`(pairwise (B, T, K, K), mask (B, T))` of packed scores."""
    k = packed.shape[-1]
    return packed[:, :, :k, :], packed[:, :, k, 0]


def _time_major(pairwise, mask, *more):
    return (ops.transpose(pairwise, (1, 0, 2, 3)), ops.transpose(mask, (1, 0))) + tuple(
        ops.transpose(x, (1, 0)) for x in more
    )


def _initial(pairwise, width=None):
    """Scores of the virtual state before the first step: tag 0 at 0, the
    rest at `NEG` (the first real step's scores do not depend on it)."""
    batch, k = ops.shape(pairwise)[0], pairwise.shape[-1]
    row = ops.concatenate([ops.zeros((1,), pairwise.dtype), ops.full((k - 1,), NEG, pairwise.dtype)])  # (K,)
    if width is not None:  # (K, width): rank 0 real, the others impossible
        column = ops.concatenate([ops.zeros((1,), pairwise.dtype), ops.full((width - 1,), NEG, pairwise.dtype)])
        row = row[:, None] + column[None, :]
    return ops.broadcast_to(row, (batch,) + tuple(row.shape))


def crf_log_likelihood(packed, tags):
    """`(log p(tags), log Z)`, each `(B,)`, by the forward algorithm.

    Args:
        packed: `(B, T, K+1, K)` from `crf_pack`.
        tags: int `(B, T)`; padded steps may hold anything.

    Returns:
        The log-likelihood of `tags` and the log-partition; 0 and 0 for a
        row without a real step.
    """
    pairwise, mask = crf_unpack(packed)
    tags = ops.cast(tags, "int32")
    batch = ops.shape(pairwise)[0]

    def step(carry, x):
        alpha, score, prev = carry  # (B, K), (B,), (B,)
        psi, m, y = x  # (B, K, K), (B,), (B,)
        real = m > 0.5
        new_alpha = ops.logsumexp(alpha[:, :, None] + psi, axis=1)  # (B, K)
        k = psi.shape[-1]
        row = ops.sum(ops.one_hot(prev, k, dtype=psi.dtype)[:, :, None] * psi, axis=1)  # (B, K): psi[prev, :]
        gold = ops.sum(ops.one_hot(y, k, dtype=psi.dtype) * row, axis=1)  # (B,)
        alpha = ops.where(real[:, None], new_alpha, alpha)
        score = score + ops.where(real, gold, ops.zeros_like(gold))
        prev = ops.where(real, y, prev)
        return (alpha, score, prev), ()

    init = (_initial(pairwise), ops.zeros((batch,), pairwise.dtype), ops.zeros((batch,), "int32"))
    (alpha, score, _), _ = scan(step, init, _time_major(pairwise, mask, tags))
    has_steps = ops.sum(mask, axis=1) > 0.5  # (B,)
    log_z = ops.where(has_steps, ops.logsumexp(alpha, axis=-1), ops.zeros_like(score))  # (B,)
    return score - log_z, log_z


def crf_log_partition(packed):
    """`log Z` `(B,)`: the log of the sum of `exp(score)` over every path."""
    tags = ops.zeros(ops.shape(packed)[:2], "int32")
    return crf_log_likelihood(packed, tags)[1]


def crf_decode(packed, top_k=1):
    """The best tag paths (Viterbi; `top_k > 1`: the k best, best first).

    Args:
        packed: `(B, T, K+1, K)` from `crf_pack`.
        top_k: int >= 1.

    Returns:
        `(tags, scores)`: int32 `(B, T)` and `(B,)` for `top_k=1`, else
        `(B, k, T)` and `(B, k)`. Padded steps hold tag 0. A path that does
        not exist (fewer than k paths, or only forbidden ones) scores
        `-inf`. Ties go to the lower tag id.
    """
    if int(top_k) != top_k or top_k < 1:
        raise ValueError(f"top_k must be an integer >= 1; received {top_k!r}.")
    top_k = int(top_k)
    pairwise, mask = crf_unpack(packed)
    k = pairwise.shape[-1]
    width = top_k
    identity = ops.reshape(ops.arange(k * width, dtype="int32"), (1, k, width))  # (1, K, W): stay where you are

    def forward(carry, x):
        delta = carry  # (B, K, W): best scores ending in tag j at rank r
        psi, m = x  # (B, K, K), (B,)
        cand = delta[:, :, :, None] + psi[:, :, None, :]  # (B, K_prev, W, K)
        cand = ops.transpose(ops.reshape(cand, (-1, k * width, k)), (0, 2, 1))  # (B, K, K_prev * W)
        values, index = ops.top_k(cand, width, sorted=True)  # (B, K, W) each
        real = (m > 0.5)[:, None, None]
        delta = ops.where(real, values, delta)
        pointers = ops.where(real, ops.cast(index, "int32"), identity)  # (B, K, W)
        return delta, pointers

    delta, pointers = scan(forward, _initial(pairwise, width), _time_major(pairwise, mask))  # pointers (T, B, K, W)
    final, index = ops.top_k(ops.reshape(delta, (-1, k * width)), width, sorted=True)  # (B, W)
    index = ops.cast(index, "int32")

    def backward(carry, x):
        here = carry  # (B, W): flat (tag, rank) at this step
        step_pointers = ops.reshape(x, (-1, k * width))  # (B, K*W)
        previous = ops.take_along_axis(step_pointers, here, axis=1)  # (B, W)
        return previous, here // width

    _, tags = scan(backward, index, (pointers,), reverse=True)  # (T, B, W)
    tags = ops.transpose(tags, (1, 2, 0)) * ops.cast(mask[:, None, :] > 0.5, "int32")  # (B, W, T)
    scores = ops.where(final < NEG / 2, ops.full_like(final, float("-inf")), final)  # (B, W)
    if top_k == 1:
        return tags[:, 0], scores[:, 0]
    return tags, scores
