import numpy as np
import tensorflow as tf

from keras_seq.applications.tag import TaggerConfig
from keras_seq.applications.tag.preprocessor import CASES, TaggerPreprocessor, build_vocabularies, first_rare


def test_tokens_ids_and_widths_rounded_to_eight():
    sentences = [["Mary", "met", "Tom", "in", "Paris"], ["Mary", "ran", "in", "1990"]]
    words, chars = build_vocabularies(sentences, max_words=100, min_count=1)
    assert words[:4] == ["[PAD]", "[UNK]", "mary", "in"] and first_rare(words, sentences) == 4
    pre = TaggerPreprocessor(TaggerConfig(max_word_length=10), words, chars)
    tokens = pre.tokenize(tf.constant(["Mary met Tom in Paris, 1990.", "Quiet!"]))
    assert tokens.to_list()[1] == [b"Quiet", b"!"]
    word_ids, char_ids, case_ids = pre.encode(tokens)
    assert word_ids.shape == (2, 8) and char_ids.shape == (2, 8, 8)  # 8 tokens, 5 letters: both rounded up to 8
    assert (word_ids.numpy()[0] != 0).sum() == 8 and (word_ids.numpy()[1] != 0).sum() == 2
    assert word_ids.numpy()[0, 0] == words.index("mary") and word_ids.numpy()[1, 0] == 1  # "quiet": unknown
    assert word_ids.numpy()[0, 6] == words.index("0000")  # digits read as 0
    assert case_ids.numpy()[0, 0] == CASES.index("title") and case_ids.numpy()[0, 6] == CASES.index("digits")
    long = pre.encode(pre.tokenize(tf.constant(["Supercalifragilistic"])))[1]
    assert long.shape == (1, 8, 10)  # characters capped at max_word_length (10), not rounded past it
    np.testing.assert_array_equal(long.numpy()[0, 0] != 0, np.ones(10, bool))
