import numpy as np
import tensorflow as tf

from keras_seq.applications.tag import TaggerConfig
from keras_seq.applications.tag.preprocessor import (
    CASES,
    TaggerPreprocessor,
    bucket_widths,
    build_vocabularies,
    first_rare,
)


def test_bucket_widths():
    widths = bucket_widths(100)
    assert widths[:9] == [1, 2, 3, 4, 5, 6, 7, 8, 10] and widths[-1] == 112 and len(widths) == 23
    assert all(b / a <= 1.25 for a, b in zip(widths[7:], widths[8:]))  # at most a quarter of padding added
    assert bucket_widths(20)[-1] == 20 and bucket_widths(1) == [1]


def test_tokens_ids_and_widths_rounded_up_to_a_bucket():
    sentences = [["Mary", "met", "Tom", "in", "Paris"], ["Mary", "ran", "in", "1990"]]
    words, chars = build_vocabularies(sentences, max_words=100, min_count=1)
    assert words[:4] == ["[PAD]", "[UNK]", "mary", "in"] and first_rare(words, sentences) == 4
    pre = TaggerPreprocessor(TaggerConfig(max_word_length=10), words, chars)
    tokens = pre.tokenize(tf.constant(["Mary met Tom in Paris, in 1990.", "Quiet!"]))
    assert tokens.to_list()[1] == [b"Quiet", b"!"]
    word_ids, char_ids, case_ids = pre.encode(tokens)
    assert word_ids.shape == (2, 10) and char_ids.shape == (2, 10, 5)  # 9 tokens: the bucket of 10; 5 letters
    assert (word_ids.numpy()[0] != 0).sum() == 9 and (word_ids.numpy()[1] != 0).sum() == 2
    assert word_ids.numpy()[0, 0] == words.index("mary") and word_ids.numpy()[1, 0] == 1  # "quiet": unknown
    assert word_ids.numpy()[0, 7] == words.index("0000")  # digits read as 0
    assert case_ids.numpy()[0, 0] == CASES.index("title") and case_ids.numpy()[0, 7] == CASES.index("digits")
    long = pre.encode(pre.tokenize(tf.constant(["Supercalifragilistic"])))[1]
    assert long.shape == (1, 1, 10)  # characters capped at max_word_length (10)
    np.testing.assert_array_equal(long.numpy()[0, 0] != 0, np.ones(10, bool))
    nine = pre.encode(pre.tokenize(tf.constant(["Lovelace"])))[1]
    assert nine.shape == (1, 1, 8)
