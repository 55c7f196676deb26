"""The CRF algorithms against brute force: every tag path of tiny
sentences enumerated, scored by the definition, summed and ranked."""

import itertools

import numpy as np
import pytest
from keras import ops

from keras_seq.ops.crf import crf_decode, crf_log_likelihood, crf_log_partition, crf_pack


def _problem(seed, batch=3, steps=4, k=3, lengths=(4, 1, 3)):
    rng = np.random.default_rng(seed)
    emissions = rng.normal(size=(batch, steps, k))
    transitions, start, end = rng.normal(size=(k, k)), rng.normal(size=k), rng.normal(size=k)
    mask = np.arange(steps)[None, :] < np.array(lengths)[:, None]  # right-padded
    return emissions, transitions, start, end, mask


def _path_score(e, a, s, f, path):
    score = s[path[0]] + f[path[-1]] + sum(e[t, y] for t, y in enumerate(path))
    return score + sum(a[i, j] for i, j in zip(path, path[1:]))


def _all_paths(e, a, s, f, allowed=None):
    """Every path of one sentence (its real steps only) and its score, best first."""
    k = e.shape[1]
    scored = []
    for path in itertools.product(range(k), repeat=len(e)):
        if allowed is not None:
            ends = [k, *path, k + 1]
            if not all(allowed[i, j] for i, j in zip(ends, ends[1:])):
                continue
        scored.append((_path_score(e, a, s, f, path), path))
    return sorted(scored, key=lambda item: -item[0])


@pytest.mark.parametrize("seed", [0, 1])
def test_log_partition_likelihood_and_best_paths_match_brute_force(seed):
    e, a, s, f, mask = _problem(seed)
    packed = crf_pack(e, a, s, f, mask)
    tags = np.random.default_rng(seed + 10).integers(0, 3, size=mask.shape)
    log_likelihood, log_z = (np.asarray(x) for x in crf_log_likelihood(packed, tags))
    best_tags, best_scores = (np.asarray(x) for x in crf_decode(packed))
    top_tags, top_scores = (np.asarray(x) for x in crf_decode(packed, top_k=4))
    for b, length in enumerate(mask.sum(1)):
        scored = _all_paths(e[b, :length], a, s, f)
        expected_z = np.logaddexp.reduce([score for score, _ in scored])
        np.testing.assert_allclose(log_z[b], expected_z, rtol=1e-10)
        gold = _path_score(e[b, :length], a, s, f, tuple(tags[b, :length]))
        np.testing.assert_allclose(log_likelihood[b], gold - expected_z, rtol=1e-10)
        assert tuple(best_tags[b, :length]) == scored[0][1] and not best_tags[b, length:].any()
        np.testing.assert_allclose(best_scores[b], scored[0][0], rtol=1e-10)
        want = [score for score, _ in scored[:4]]
        np.testing.assert_allclose(top_scores[b, : len(want)], want, rtol=1e-10)
        for rank in range(len(want)):  # each listed path has the score listed
            path = tuple(top_tags[b, rank, :length])
            np.testing.assert_allclose(_path_score(e[b, :length], a, s, f, path), top_scores[b, rank], rtol=1e-10)
        if length == 1:  # 3 paths only: the fourth does not exist
            assert np.isneginf(top_scores[b, 3])


def test_padding_anywhere_is_skipped():
    e, a, s, f, _ = _problem(2, batch=1, steps=5)
    gappy = np.array([[False, True, True, False, True]])
    packed = crf_pack(e, a, s, f, gappy)
    compact = crf_pack(e[:, [1, 2, 4]], a, s, f)
    np.testing.assert_allclose(np.asarray(crf_log_partition(packed)), np.asarray(crf_log_partition(compact)))
    tags, _ = crf_decode(packed)
    compact_tags, _ = crf_decode(compact)
    np.testing.assert_array_equal(np.asarray(tags)[0, [1, 2, 4]], np.asarray(compact_tags)[0])


def test_a_row_without_tokens_scores_zero():
    e, a, s, f, _ = _problem(3, batch=2)
    mask = np.array([[True, True, False, False], [False] * 4])
    log_likelihood, log_z = crf_log_likelihood(crf_pack(e, a, s, f, mask), np.zeros((2, 4), "int32"))
    assert float(log_z[1]) == 0.0 and float(log_likelihood[1]) == 0.0 and float(log_z[0]) != 0.0


def test_forbidden_transitions_are_never_decoded():
    from keras_seq.data.tag_schemes import allowed_transitions, is_valid

    names = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    allowed = allowed_transitions(names, "iob2")
    rng = np.random.default_rng(4)
    e = rng.normal(size=(64, 5, 5)) * 3
    e[:, :, [2, 4]] += 4.0  # the I- tags score highest everywhere: unconstrained decoding breaks IOB2
    a, s, f = (np.zeros(shape) for shape in ((5, 5), (5,), (5,)))
    free, _ = crf_decode(crf_pack(e, a, s, f))
    assert not all(is_valid([names[t] for t in row], "iob2") for row in np.asarray(free))
    tags, scores = crf_decode(crf_pack(e, a, s, f, allowed=allowed))
    assert all(is_valid([names[t] for t in row], "iob2") for row in np.asarray(tags))
    best = max(_all_paths(e[0], a, s, f, allowed))
    np.testing.assert_allclose(float(scores[0]), best[0], rtol=1e-10)


def test_gradients_match_finite_differences():
    import tensorflow as tf

    e, a, s, f, mask = _problem(5)
    tags = np.random.default_rng(6).integers(0, 3, size=mask.shape)
    variables = [tf.Variable(x) for x in (e, a, s, f)]

    def nll():
        return -ops.sum(crf_log_likelihood(crf_pack(*variables, mask), tags)[0])

    with tf.GradientTape() as tape:
        value = nll()
    grads = tape.gradient(value, variables)
    rng = np.random.default_rng(7)
    for variable, grad in zip(variables, grads):
        for _ in range(4):
            index = tuple(rng.integers(0, n) for n in variable.shape)
            original = variable[index].numpy()
            eps = 1e-6
            variable[index].assign(original + eps)
            up = float(nll())
            variable[index].assign(original - eps)
            down = float(nll())
            variable[index].assign(original)
            np.testing.assert_allclose(np.asarray(grad)[index], (up - down) / (2 * eps), rtol=1e-5, atol=1e-8)


def test_bad_top_k():
    e, a, s, f, mask = _problem(0)
    with pytest.raises(ValueError, match="top_k"):
        crf_decode(crf_pack(e, a, s, f, mask), top_k=0)


JAX_SCRIPT = r"""
import itertools, json
import numpy as np
import keras
from keras_seq.layers import CRF
from keras_seq.ops.crf import crf_decode, crf_log_likelihood, crf_pack
from keras_seq.training import CRFLoss

assert keras.backend.backend() == "jax"
rng = np.random.default_rng(0)
e, a, s, f = rng.normal(size=(2, 4, 3)), rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)
mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0]], bool)
packed = crf_pack(e.astype("float32"), a.astype("float32"), s.astype("float32"), f.astype("float32"), mask)
_, log_z = crf_log_likelihood(packed, np.zeros((2, 4), "int32"))
tags, scores = crf_decode(packed)
def score(b, path):
    pairs = sum(a[i, j] for i, j in zip(path, path[1:]))
    return s[path[0]] + f[path[-1]] + sum(e[b, t, y] for t, y in enumerate(path)) + pairs
out = {"gap": 0.0, "best": True}
for b, n in enumerate(mask.sum(1)):
    paths = sorted(((score(b, p), p) for p in itertools.product(range(3), repeat=int(n))), reverse=True)
    out["gap"] = max(out["gap"], abs(float(log_z[b]) - float(np.logaddexp.reduce([x for x, _ in paths]))))
    out["best"] &= tuple(np.asarray(tags)[b, :n]) == paths[0][1]
ids = keras.Input((None,), dtype="int32")
x = keras.layers.Embedding(10, 4)(ids)
model = keras.Model(ids, CRF(3)(keras.layers.Dense(3)(x), mask=keras.ops.not_equal(ids, 0)))
model.compile("adam", CRFLoss())
history = model.fit(rng.integers(1, 10, size=(16, 5)), rng.integers(0, 3, size=(16, 5)), epochs=3, verbose=0)
out["loss_fell"] = history.history["loss"][-1] < history.history["loss"][0]
print(json.dumps(out))
"""


def test_the_crf_runs_on_jax():
    from tests.backends import run_on_jax

    result = run_on_jax(JAX_SCRIPT)
    assert result["gap"] < 1e-4 and result["best"] and result["loss_fell"], result
