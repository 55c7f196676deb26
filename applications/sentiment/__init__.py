"""Sentiment classifier (`keras-seq sentiment`).

from keras_seq.applications.sentiment import SentimentConfig, train
classifier, history = train(SentimentConfig(), data="reviews.csv")
labels, probabilities = classifier.classify(["Loved it.", "Never again."])
classifier.explain(["Loved it."])      # tokens and attention weights
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "config": ("SentimentConfig", "SentimentDataOptions"),
        "data": ("LabelledTexts", "adapt_vocabulary", "load_splits", "make_dataset", "read_source", "split_validation"),
        "model": ("SentimentHyperModel", "build_sentiment_classifier"),
        "task": ("SentimentClassifier", "classification_metrics", "train"),
    },
)
