"""The probability of a text under a char LM, by the chain rule over its
characters: `log P(c_1 ... c_n) = sum_t log P(c_t | start, c_1 ... c_t-1)`.

The first token is conditioned on the start that generation begins with
(after a line end: the newline or `[END]`; `[BEGIN]` in sentence mode,
where the `[END]` after the text is scored too), so a text's probability
is what generation from an empty prompt would give it. The recurrence carries
its state over the whole text, however long: unlike a model with a fixed
context, nothing is cut or windowed. One function computes the
probabilities for `CharLM.score` and for the export's `score` signature.
"""

import math

import numpy as np
import tensorflow as tf

from keras_seq.applications.char_lm.tokens import count_words
from keras_seq.errors import UserInputError
from keras_seq.plotting import pyplot, save_figure

BATCH = 32  # texts scored at once
PLOTTED = 6  # texts drawn by `plot_surprisal`, one panel each


def token_log_probabilities(model, ids, lengths, start_id):
    """Natural-log probability of each character of right-padded `ids`
    `(B, T)` (rows of `lengths` `(B,)`) under `model` (ids -> logits), given
    the start character and the characters before it; 0 on the padding.
    TensorFlow ops only: the same code runs inside the export."""
    batch, steps = tf.shape(ids)[0], tf.shape(ids)[1]
    inputs = tf.concat([tf.fill([batch, 1], tf.cast(start_id, ids.dtype)), ids], axis=1)[:, :steps]  # (B, T)
    logits = tf.cast(model(inputs, training=False), tf.float32)  # (B, T, V)
    chosen = tf.gather(tf.nn.log_softmax(logits, axis=-1), ids, batch_dims=2)  # (B, T)
    return chosen * tf.sequence_mask(lengths, steps, tf.float32)  # (B, T)


def log_probabilities(lm, rows):
    """The log-probability of each id of each row (a list of `(N,)` id
    arrays, each predicted from `lm.start_id` on), `BATCH` rows at a time:
    a list of `(N,)` float arrays."""
    model = lm.inference_model()
    out = []
    for begin in range(0, len(rows), BATCH):
        chunk = rows[begin : begin + BATCH]
        lengths = np.array([len(r) for r in chunk], np.int32)
        ids = np.zeros((len(chunk), lengths.max()), np.int32)
        for i, row in enumerate(chunk):
            ids[i, : len(row)] = row
        log_p = token_log_probabilities(model, tf.constant(ids), tf.constant(lengths), lm.start_id).numpy()
        out += [log_p[i, :n] for i, n in enumerate(lengths)]
    return out


def score_texts(lm, texts):
    """`CharLM.score`: one dict per text (see there). In sentence mode a
    text is one sentence, from `[BEGIN]`, and its `[END]` is scored too.

    Raises:
        UserInputError: no text, an empty text, a text none of whose
            tokens the model knows, or a line break in sentence mode.
    """
    if not texts:
        raise UserInputError("no text to score: pass at least one")
    sentences = lm.tokens.unit == "sentence"
    encoded = []
    for text in texts:
        if not isinstance(text, str) or not text:
            raise UserInputError(f"each text to score needs at least one character; got {text!r}")
        if sentences and "\n" in text:
            raise UserInputError(f"a sentence model scores one sentence per text, without line breaks: {text[:40]!r}")
        ids = lm.tokens.encode(text)
        if not np.any(ids != lm.tokens.unknown_id):
            raise UserInputError(f"nothing to score in {text[:40]!r}: none of its tokens is in the model's vocabulary")
        encoded.append(lm.tokens.sentence(text) if sentences else ids)
    return [_summary(lm.tokens, t, ids, lp) for t, ids, lp in zip(texts, encoded, log_probabilities(lm, encoded))]


def _summary(tokens, text, ids, log_p):
    total = float(log_p.sum())
    return {
        "text": text,
        "log_probability": round(total, 6),
        "bits": round(-total / math.log(2), 6),
        "perplexity": round(math.exp(-total / len(ids)), 6),
        "per_word_perplexity": round(math.exp(-total / max(count_words(text) + (tokens.unit == "sentence"), 1)), 6),
        "tokens": tokens.pieces(ids) if tokens.kind != "char" else list(text) + ["\n"] * (len(ids) - len(text)),
        "surprisal_bits": [round(float(-v / math.log(2)), 4) for v in log_p],
        "unknown": int(np.sum(ids == tokens.unknown_id)),
    }


def plot_surprisal(scores, path):
    """Bars of each character's surprisal (bits) for the first `PLOTTED`
    texts, one panel each, written to `path` (PNG). Returns `path`."""
    shown = scores[:PLOTTED]
    plt = pyplot()
    width = min(max(len(s["tokens"]) for s in shown) * 0.25 + 2, 30)
    fig, axes = plt.subplots(len(shown), 1, figsize=(width, 2.4 * len(shown)), squeeze=False)
    for axis, score in zip(axes[:, 0], shown):
        surprisal = score["surprisal_bits"]
        axis.bar(range(len(surprisal)), surprisal, color="tab:blue")
        labels = [repr(t)[1:-1] for t in score["tokens"]]  # a newline shows as \\n
        axis.set_xticks(range(len(labels)), labels if len(labels) <= 120 else [""] * len(labels))
        axis.set_ylabel("bits")
        axis.set_title(f"{score['bits']:.1f} bits, perplexity {score['perplexity']:.2f}: {score['text'][:60]!r}")
    fig.tight_layout()
    return save_figure(fig, path)
