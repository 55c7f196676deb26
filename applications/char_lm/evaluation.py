"""The language model's evaluation (`CharLM.evaluate`): nats and
perplexity per token, perplexity per word and bits per character, so that
char, word and subword models compare on one scale."""

import math

import numpy as np

from keras_seq.applications.char_lm.data import sentence_lines, window_dataset
from keras_seq.applications.char_lm.score import log_probabilities
from keras_seq.applications.char_lm.tokens import count_words
from keras_seq.errors import UserInputError


def evaluate_text(lm, text, batch_size=None):
    """`CharLM.evaluate` on a string (see there)."""
    if lm.tokens.unit == "sentence":
        return _sentences(lm, text)
    length = lm.config.sequence_length
    ids = lm.tokens.encode(text)
    if len(ids) < length + 1:
        raise UserInputError(
            f"the text to evaluate has {len(ids)} {lm.config.tokens} tokens, fewer than one window of {length + 1}"
        )
    data = window_dataset(ids, length, batch_size or lm.config.batch_size, shuffle=False, drop_remainder=False)
    loss = float(lm.inference_model().evaluate(data, verbose=0)[0])  # nats per token
    count = ((len(ids) - 1) // length) * length
    predicted = ids[1 : count + 1]
    covered = text[1 : count + 1] if lm.config.tokens == "char" else lm.tokens.decode(predicted)
    return _metrics(loss * count, count, covered, np.mean(predicted == lm.tokens.unknown_id))


def _sentences(lm, text):
    """Every sentence (line) scored whole, from `[BEGIN]`, its `[END]` included."""
    lines = sentence_lines(text, "the text to evaluate")
    rows = [lm.tokens.sentence(line) for line in lines]
    total = -float(sum(lp.sum() for lp in log_probabilities(lm, rows)))
    count = sum(len(r) for r in rows)
    unknown = sum(int(np.sum(r == lm.tokens.unknown_id)) for r in rows) / count
    return _metrics(total, count, "\n".join(lines) + "\n", unknown)


def _metrics(total, count, covered, unknown):
    """From the nats of `count` predicted tokens over the text `covered`."""
    return {
        "val_loss": round(total / count, 4),
        "perplexity": round(math.exp(total / count), 3),
        "bits_per_char": round(total / math.log(2) / max(len(covered), 1), 4),
        "per_word_perplexity": round(math.exp(total / max(count_words(covered), 1)), 3),
        "tokens": count,
        "chars": len(covered),
        "words": count_words(covered),
        "unknown_rate": round(float(unknown), 5),
    }
