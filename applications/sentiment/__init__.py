"""Sentiment classifier (`keras-seq sentiment`).

from keras_seq.applications.sentiment import SentimentConfig, train
classifier, history = train(SentimentConfig(), data="reviews.csv")
labels, probabilities = classifier.classify(["Loved it.", "Never again."])
classifier.explain(["Loved it."])      # tokens and attention weights
"""

from keras_seq.applications import lazy_exports

_NAMES = {
    "SentimentConfig": "config",
    "SentimentDataOptions": "config",
    "LabelledTexts": "data",
    "adapt_vocabulary": "data",
    "load_splits": "data",
    "make_dataset": "data",
    "read_source": "data",
    "split_validation": "data",
    "SentimentHyperModel": "model",
    "build_sentiment_classifier": "model",
    "SentimentClassifier": "task",
    "classification_metrics": "task",
    "train": "task",
}
__all__ = sorted(_NAMES)
__getattr__ = lazy_exports(__name__, _NAMES)
