"""Sentiment classifier (`keras-seq sentiment`).

    from keras_seq.applications.sentiment import SentimentConfig, train
    classifier, history = train(SentimentConfig(), data="reviews.csv")
    labels, probabilities = classifier.classify(["Loved it.", "Never again."])
    classifier.explain(["Loved it."])      # tokens and attention weights
"""

from keras_seq.applications.sentiment.classifier import SentimentClassifier, classification_metrics
from keras_seq.applications.sentiment.config import SentimentConfig
from keras_seq.applications.sentiment.data import LabelledTexts, load_splits, read_source
from keras_seq.applications.sentiment.model import SentimentHyperModel, build_sentiment_classifier
from keras_seq.applications.sentiment.train import train

__all__ = [
    "LabelledTexts", "SentimentClassifier", "SentimentConfig", "SentimentHyperModel",
    "build_sentiment_classifier", "classification_metrics", "load_splits", "read_source", "train",
]
