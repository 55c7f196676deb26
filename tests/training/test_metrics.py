import numpy as np

from keras_seq.training import BitsPerChar, Perplexity


def test_bits_per_char_and_perplexity_from_logits():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 4, 5)).astype("float32")
    targets = rng.integers(0, 5, (3, 4))
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    nats = -np.take_along_axis(logp, targets[..., None], -1).mean()
    bpc, ppl = BitsPerChar(), Perplexity()
    bpc.update_state(targets[:2], logits[:2])
    bpc.update_state(targets[2:], logits[2:])  # a running mean over batches
    ppl.update_state(targets, logits)
    np.testing.assert_allclose(float(bpc.result()), nats / np.log(2), rtol=1e-5)
    np.testing.assert_allclose(float(ppl.result()), np.exp(nats), rtol=1e-5)
    bpc.reset_state()
    assert float(bpc.result()) == 0.0
