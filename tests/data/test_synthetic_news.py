import pytest

from keras_seq.data.synthetic_news import AMBIGUOUS, synthetic_news
from keras_seq.data.tag_schemes import is_valid


def test_reproducible_valid_iob2():
    sentences, tags = synthetic_news(400, seed=5)
    assert (sentences, tags) == synthetic_news(400, seed=5) and sentences != synthetic_news(400, seed=6)[0]
    assert all(len(words) == len(row) and is_valid(row, "iob2") for words, row in zip(sentences, tags))
    assert all(words[0][0].isupper() for words in sentences)
    kinds = {t[2:] for row in tags for t in row if t != "O"}
    assert kinds == {"PER", "LOC", "ORG"}


def test_context_decides_some_names():
    sentences, tags = synthetic_news(3000)
    seen = {}
    for words, row in zip(sentences, tags):
        for w, t in zip(words, row):
            if w in AMBIGUOUS and t != "O":
                seen.setdefault(w, set()).add(t[2:])
    assert any(kinds == {"PER", "LOC"} for kinds in seen.values())  # the same word, a person and a place
    org_words = [w for words, row in zip(sentences, tags) for w, t in zip(words, row) if t == "I-ORG"]
    assert "of" in org_words  # "Bank of Lima": the city inside is part of the organization


def test_many_names_occur_once():  # as in real text: a tagger must meet rare names in training
    import collections

    sentences, tags = synthetic_news(3000)
    counts = collections.Counter(w for words, row in zip(sentences, tags) for w, t in zip(words, row) if t != "O")
    assert sum(c == 1 for c in counts.values()) > 1000


def test_bad_part():
    with pytest.raises(ValueError, match="part"):
        synthetic_news(3, part="dev")
