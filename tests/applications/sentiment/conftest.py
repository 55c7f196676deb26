import pytest

from keras_seq.applications.sentiment import SentimentConfig, train

POSITIVE = [
    "I loved this place.",
    "Great food and lovely staff.",
    "The movie was wonderful!",
    "Excellent phone, works great.",
]
NEGATIVE = ["I hated this place.", "Awful food and rude staff.", "The movie was boring.", "Terrible phone, broke fast."]


def write_reviews(path, repeat=10):
    """A CSV of the toy reviews, each `repeat` times (a user's file: `review` and `sentiment` columns)."""
    rows = ["review,sentiment"] + [f'"{t}",pos' for t in POSITIVE * repeat] + [f'"{t}",neg' for t in NEGATIVE * repeat]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def csv_file(tmp_path_factory):
    return write_reviews(tmp_path_factory.mktemp("csv") / "reviews.csv")


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """A classifier of the embedded reviews, trained once for the whole session."""
    from keras_seq.applications.sentiment import SentimentClassifier
    from tests.applications.shared import trained_once

    config = SentimentConfig(units=16, embedding_dim=16, attention_units=8, dropout=0.2, learning_rate=3e-3, epochs=1)
    return trained_once(tmp_path_factory, "sentiment", train, SentimentClassifier.load, config, data="embedded")
