from keras_seq.data import toy_language_pairs
from keras_seq.data.toy_language import TOY_WORDS


def test_targets_are_the_sources_renamed_and_reversed():
    pairs = toy_language_pairs(200, seed=1, max_words=5)
    assert len(pairs) == 200
    lengths = set()
    for source, target in pairs:
        words = source.split()
        lengths.add(len(words))
        assert target.split() == [TOY_WORDS[w] for w in reversed(words)]
    assert lengths == {2, 3, 4, 5}


def test_the_draw_follows_the_seed():
    assert toy_language_pairs(20, seed=4) == toy_language_pairs(20, seed=4)
    assert toy_language_pairs(20, seed=4) != toy_language_pairs(20, seed=5)
