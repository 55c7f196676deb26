"""The trained sentiment classifier: classify, explain, evaluate, save, load, export."""

import html
import warnings

import keras
import numpy as np

from keras_seq.applications import training
from keras_seq.applications.sentiment.config import INFERENCE_BATCH_SIZE, SentimentConfig
from keras_seq.applications.sentiment.data import adapt_vocabulary, make_dataset, read_source
from keras_seq.applications.sentiment.model import SentimentHyperModel, build_sentiment_classifier, class_probabilities
from keras_seq.applications.task import Task, layers_of
from keras_seq.applications.training import Prepared
from keras_seq.data import check_texts
from keras_seq.errors import UserInputError
from keras_seq.layers import AttentionPooling
from keras_seq.training import BestWeights


class SentimentClassifier(Task):
    """A trained model with its label names: `classify`, `explain`,
    `evaluate`, `save`, `load`, `export`.

    Args:
        model: a model from `build_sentiment_classifier` (strings in; its
            config, labels included, travels inside it).

    Examples:
        >>> clf = SentimentClassifier.load("saved_models/sentiment")
        >>> labels, probabilities = clf.classify(["Loved it.", "Never again."])
    """

    config_class = SentimentConfig
    builder = staticmethod(build_sentiment_classifier)
    hypermodel_class = SentimentHyperModel
    serving = "keras_seq.applications.sentiment.export:ClassifierModule"
    litert = "keras_seq.applications.sentiment.litert:ClassifierLiteRT"
    objective = "val_accuracy"

    # ------------------------------------------------------------ checks
    def _check_texts(self, texts):
        texts = check_texts(texts)
        too_long = [i + 1 for i, t in enumerate(texts) if len(t.split()) > self.config.sequence_length]
        if too_long:
            warnings.warn(
                f"{len(too_long)} text(s) (first: number {too_long[0]}) are longer than "
                f"{self.config.sequence_length} tokens; only their first {self.config.sequence_length} tokens are read",
                stacklevel=3,
            )
        return texts

    # --------------------------------------------------------------- use
    def predict_proba(self, texts):
        """`(N, C)` class probabilities."""
        texts = self._check_texts(texts)
        return class_probabilities(
            self.model.predict(np.array(texts, dtype=object), batch_size=INFERENCE_BATCH_SIZE, verbose=0)
        )

    def classify(self, texts):
        """`(labels, probabilities)`: label names and `(N, C)` probabilities."""
        probabilities = self.predict_proba(texts)
        return [self.config.labels[i] for i in probabilities.argmax(-1)], probabilities

    def explain(self, texts):
        """For each text, its tokens and the attention pooling's weight on
        each (weights sum to 1 over the text's tokens). Needs
        `pooling="attention"`."""
        if self.config.pooling != "attention":
            raise UserInputError(f"explain needs attention pooling; this model pools by {self.config.pooling!r}")
        texts = self._check_texts(texts)
        vectorize = layers_of(self.model, keras.layers.TextVectorization)[0]  # the words' (then the lexicon's, ...)
        pooling = layers_of(self.model, AttentionPooling)[0]
        top = layers_of(self.model, (keras.layers.Bidirectional, keras.layers.RNN))[-1]  # the last recurrent layer
        # The model's own graph up to the pooling's input (dropout off).
        features = keras.Model(self.model.input, [vectorize.output, top.output])
        vocabulary = vectorize.get_vocabulary()
        out = []
        for start in range(0, len(texts), INFERENCE_BATCH_SIZE):
            batch = np.array(texts[start : start + INFERENCE_BATCH_SIZE], dtype=object)
            token_ids, x = features(batch, training=False)  # (B, T), (B, T, H)
            mask = keras.ops.not_equal(token_ids, 0)  # (B, T)
            query = keras.ops.broadcast_to(pooling.query, (keras.ops.shape(x)[0], pooling.units))
            _, weights = pooling.attention(query, x, value_mask=mask)  # (B, T)
            weights = keras.ops.convert_to_numpy(weights)
            for ids, w in zip(keras.ops.convert_to_numpy(token_ids), weights):
                n = int((ids != 0).sum())
                out.append(([vocabulary[i] for i in ids[:n]], [float(v) for v in w[:n]]))
        return out

    def explanation_html(self, texts):
        """An HTML page that highlights each text's words by attention weight."""
        rows = []
        labels, probabilities = self.classify(texts)
        for (tokens, weights), label, p in zip(self.explain(texts), labels, probabilities):
            top = max(weights) if weights else 1.0
            spans = " ".join(
                f'<span style="background: rgba(255, 140, 0, {w / top:.2f})" title="{w:.3f}">{html.escape(t)}</span>'
                for t, w in zip(tokens, weights)
            )
            rows.append(f"<p><b>{html.escape(label)}</b> ({p.max():.0%}): {spans}</p>")
        return (
            "<!doctype html><meta charset='utf-8'><title>attention</title><body style='font-family: sans-serif'>"
            + "\n".join(rows)
            + "</body>"
        )

    def explanation_png(self, texts, path):
        """A PNG of the same highlighting, one text per row."""
        from keras_seq.plotting import pyplot, save_figure

        plt = pyplot()

        explained = self.explain(texts)
        labels, probabilities = self.classify(texts)
        width = max(len(t) for t, _ in explained)
        grid = np.full((len(explained), width), np.nan)
        fig, ax = plt.subplots(figsize=(max(6, 0.9 * width), 0.8 * len(explained) + 1))
        for row, (tokens, weights) in enumerate(explained):
            grid[row, : len(weights)] = weights
            for col, token in enumerate(tokens):
                ax.text(col, row, token, ha="center", va="center", fontsize=9)
        ax.imshow(grid, cmap="Oranges", aspect="auto", vmin=0)
        ax.set_yticks(range(len(explained)), [f"{label} {p.max():.0%}" for label, p in zip(labels, probabilities)])
        ax.set_xticks([])
        ax.set_title("attention pooling weights")
        return save_figure(fig, path)

    # ---------------------------------------------------------- evaluation
    def evaluate(self, data):
        """Accuracy, macro F1 and the confusion matrix (rows: true labels)."""
        predicted = self.predict_proba(data.texts).argmax(-1)
        return classification_metrics(data.labels, predicted, self.config.labels)

    def encode_batch(self, texts, labels):
        """Strings stay strings (the model vectorizes them); labels become
        `(B, 1)` floats for two classes."""
        import tensorflow as tf  # data pipeline

        if self.config.num_classes == 2:
            return texts, tf.reshape(tf.cast(labels, "float32"), (-1, 1))
        return texts, labels

    def describe(self, metrics):
        return (
            f"accuracy {metrics['accuracy']:.2%}, macro F1 {metrics['macro_f1']:.4f} on {metrics['count']} texts; "
            f"confusion matrix (rows: true {metrics['labels']}): {metrics['confusion_matrix']}"
        )

    # ------------------------------------------------------------ training
    @classmethod
    def read_examples(cls, source, split="train", **data_options):
        return read_source(source, split, **data_options)

    def evaluation_examples(self, source, split="validation", validation_split=None, **data_options):
        """As `Task.evaluation_examples`, with the model's own label set."""
        return super().evaluation_examples(
            source, split, validation_split, **{**data_options, "labels": None, "label_names": self.config.labels}
        )

    @classmethod
    def prepare(cls, config, train, validation):
        config = config.replace(labels=list(train.label_names))
        vocabulary = adapt_vocabulary(train.texts, config.max_tokens)
        summary = (
            f"Data: {train.description}; {len(train)} training and {len(validation)} validation texts, "
            f"labels {config.labels}, {len(vocabulary)} words "
            f"({sum(c >= config.min_count for c in vocabulary.values())} seen at least {config.min_count} times get a "
            "trainable embedding)."
        )
        return Prepared(
            config,
            make_dataset(train, config.batch_size, True, config.seed),
            make_dataset(validation, INFERENCE_BATCH_SIZE, False, config.seed),
            {"vocabulary": vocabulary},
            validation,
            summary,
        )

    @classmethod
    def check_strategy(cls, config):
        raise UserInputError(
            "the sentiment classifier trains on raw strings (its vocabulary is inside the model), and Keras 3.15 "
            "cannot read a batch of strings under a tf.distribute strategy (it averages the first batch across "
            "replicas to build the model); train it without --strategy"
        )

    def training_callbacks(self, prepared, print_fn=print, verbose=1):
        if not self.config.patience:
            return []
        return [BestWeights("val_accuracy", mode="max", patience=self.config.patience, print_fn=print_fn)]


def train(config=None, data="embedded", **kwargs):
    """Train a classifier on `data` (see `read_source`), stopping early on
    the validation split (carved from the training data, seeded; never a
    test split), and save it. Keyword arguments are those of
    `keras_seq.applications.training.train`, and the data options
    `text_column`, `label_column`, `labels`.

    Returns:
        `(classifier, history)`.
    """
    return training.train(SentimentClassifier, config, data, **kwargs)


def classification_metrics(true, predicted, label_names):
    """`{"accuracy", "macro_f1", "confusion_matrix", "labels", "count"}`."""
    true, predicted = np.asarray(true), np.asarray(predicted)
    n = len(label_names)
    confusion = np.zeros((n, n), dtype=int)
    np.add.at(confusion, (true, predicted), 1)
    f1s = []
    for c in range(n):
        tp = confusion[c, c]
        precision = tp / max(confusion[:, c].sum(), 1)
        recall = tp / max(confusion[c].sum(), 1)
        f1s.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    return {
        "accuracy": round(float((true == predicted).mean()), 4),
        "macro_f1": round(float(np.mean(f1s)), 4),
        "confusion_matrix": confusion.tolist(),
        "labels": list(label_names),
        "count": int(len(true)),
    }
