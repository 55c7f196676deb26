import numpy as np

from keras_seq.data import synthetic_reviews


def test_reproducible_balanced_and_varied():
    texts, labels = synthetic_reviews(1000, seed=3)
    again, _ = synthetic_reviews(1000, seed=3)
    other, _ = synthetic_reviews(1000, seed=4)
    assert texts == again and texts != other
    assert 0.4 < labels.mean() < 0.6
    assert len(set(texts)) > 900
    assert any(", but " in t for t in texts) and any(" not " in t for t in texts)


def test_but_clause_decides_the_label():
    texts, labels = synthetic_reviews(2000, seed=0)
    for text, label in zip(texts, labels):
        if (
            ", but " in text
            and " was " in text.split(", but ")[1]
            and " not " not in text.split(", but ")[1]
            and "never" not in text.split(", but ")[1]
            and "hardly" not in text.split(", but ")[1]
        ):
            last = text.split(", but ")[1].rstrip(".!").split()[-1]
            from keras_seq.data.synthetic_reviews import NEGATIVE, POSITIVE

            if last in POSITIVE:
                assert label == 1, text
            elif last in NEGATIVE:
                assert label == 0, text
    assert np.isin(labels, [0, 1]).all()
