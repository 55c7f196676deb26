import math

import pytest

from keras_seq.training.cider import corpus_cider


def test_a_hand_computed_unigram_case():
    # two images; "cat" is in both reference sets (idf 0), "dog" and "red" in one each (idf log 2)
    refs = [["dog cat"], ["red cat"]]
    score = corpus_cider(["dog cat", "cat"], refs)
    # image 1 matches its reference exactly: cosine 1 for n = 1, 2 (the bigram is only there), 0 for n = 3, 4 (none)
    first = 10 * (1 + 1 + 0 + 0) / 4
    # image 2: "cat" has weight 0, so its vector is zero and it scores 0
    assert score == pytest.approx((first + 0.0) / 2)


def test_length_penalty_and_clipping():
    # "x x" against "x": its count 2 is clipped at the reference's 1, so the unigram cosine is
    # (1 * 1) / (2 * 1) = 0.5, times the length penalty exp(-1 / (2 * 6^2)); no bigram is shared
    score = corpus_cider(["x x", "y"], [["x"], ["z"]])
    assert score == pytest.approx(10 * 0.5 * math.exp(-1 / 72) / 4 / 2)
    assert corpus_cider(["x", "y"], [["x"], ["z"]]) == pytest.approx(10 * 1.0 / 4 / 2)


def test_several_references_are_averaged_and_bad_input():
    one = corpus_cider(["a dog"], [["a dog"]])
    assert one == 0.0  # a single image: every n-gram is in every document, idf 0
    both = corpus_cider(["a dog", "two cats"], [["a dog", "one dog"], ["two cats"]])
    assert both > 0
    with pytest.raises(ValueError, match="one reference list"):
        corpus_cider(["a"], [])
    with pytest.raises(ValueError, match="at least one"):
        corpus_cider(["a"], [[]])
