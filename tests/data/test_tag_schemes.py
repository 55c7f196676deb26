import itertools

import pytest

from keras_seq.data.tag_schemes import allowed_transitions, entity_spans, is_valid, to_iob2

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
BIOES = ["O", "B-PER", "I-PER", "E-PER", "S-PER"]


@pytest.mark.parametrize("scheme, tags", [("iob2", TAGS), ("iob1", TAGS), ("bioes", BIOES)])
def test_the_matrix_agrees_with_the_sequence_rules(scheme, tags):
    allowed = allowed_transitions(tags, scheme)
    k = len(tags)
    for length in (1, 2, 3):
        for path in itertools.product(range(k), repeat=length):
            ends = [k, *path, k + 1]
            by_matrix = all(allowed[i, j] for i, j in zip(ends, ends[1:]))
            assert by_matrix == is_valid([tags[t] for t in path], scheme), [tags[t] for t in path]


def test_the_rules_of_each_scheme():
    assert not is_valid(["O", "I-PER"], "iob2") and not is_valid(["B-LOC", "I-PER"], "iob2")
    assert is_valid(["B-PER", "I-PER", "O"], "iob2") and not is_valid(["I-PER"], "iob2")
    assert is_valid(["I-PER", "B-PER"], "iob1") and not is_valid(["O", "B-PER"], "iob1")
    assert is_valid(["S-PER", "B-PER", "E-PER"], "bioes") and not is_valid(["B-PER", "O"], "bioes")
    assert not is_valid(["B-PER"], "bioes") and not is_valid(["E-PER"], "bioes")


def test_conversion_and_repair():
    assert to_iob2(["I-PER", "I-PER", "B-PER", "O", "I-LOC"], "iob1") == (["B-PER", "I-PER", "B-PER", "O", "B-LOC"], 0)
    assert to_iob2(["O", "I-PER", "I-PER", "B-LOC", "I-PER"]) == (["O", "B-PER", "I-PER", "B-LOC", "B-PER"], 2)
    assert to_iob2(["S-PER", "B-PER", "E-PER"], "bioes") == (["B-PER", "B-PER", "I-PER"], 0)


def test_entity_spans():
    assert entity_spans(["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "B-LOC"]) == [
        ("PER", 0, 2),
        ("LOC", 3, 5),
        ("LOC", 5, 6),
    ]
    assert entity_spans(["O", "I-PER", "I-LOC"]) == [("PER", 1, 2), ("LOC", 2, 3)]  # conlleval's reading
    assert entity_spans(["S-PER", "B-LOC", "E-LOC"], "bioes") == [("PER", 0, 1), ("LOC", 1, 3)]


def test_bad_tags():
    with pytest.raises(ValueError, match="not a IOB2 tag"):
        to_iob2(["PER"])
    with pytest.raises(ValueError, match="scheme must be one of"):
        allowed_transitions(TAGS, "bilou")
