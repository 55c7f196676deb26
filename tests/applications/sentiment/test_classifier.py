import numpy as np
import pytest
import tensorflow as tf

from keras_seq.applications.sentiment import SentimentClassifier, classification_metrics, read_source
from keras_seq.errors import UserInputError


def test_learns_the_embedded_reviews(trained):
    classifier, history, _ = trained
    assert max(history.history["val_accuracy"]) > 0.8
    labels, probabilities = classifier.classify(["I loved the pizza!", "The service was awful."])
    assert labels == ["positive", "negative"]
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, atol=1e-5)


def test_explain_weights_real_tokens(trained):
    classifier, _, _ = trained
    ((tokens, weights),) = classifier.explain(["The food was bland, but the staff was lovely."])
    assert tokens[:3] == ["the", "food", "was"] and len(tokens) == len(weights)
    np.testing.assert_allclose(sum(weights), 1.0, atol=1e-5)
    page = classifier.explanation_html(["I hated the film."])
    assert "hated" in page and "background" in page


def test_empty_and_long_texts(trained):
    classifier, _, _ = trained
    with pytest.raises(UserInputError, match="text 2 is empty"):
        classifier.classify(["fine", "   "])
    with pytest.warns(UserWarning, match="longer than"):
        labels, _ = classifier.classify(["good " * 500])
    assert len(labels) == 1


def test_evaluate_metrics(trained):
    classifier, _, model_dir = trained
    data = read_source("embedded").subset(np.arange(200))
    metrics = classifier.evaluate(data)
    assert set(metrics) >= {"accuracy", "macro_f1", "confusion_matrix"}
    assert sum(map(sum, metrics["confusion_matrix"])) == 200
    loaded = SentimentClassifier.load(str(model_dir))
    assert loaded.evaluate(data) == metrics


def test_classification_metrics_by_hand():
    m = classification_metrics([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], ["a", "b", "c"])
    assert m["accuracy"] == 0.6 and m["confusion_matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]
    np.testing.assert_allclose(m["macro_f1"], np.mean([0.5, 0.8, 0.0]), atol=1e-4)


def test_export_classifies_like_the_task(trained, tmp_path):
    classifier, _, _ = trained
    export_dir = str(tmp_path / "export")
    classifier.export(export_dir)
    texts = ["I loved the pizza!", "The service was awful."]
    expected_labels, expected = classifier.classify(texts)
    loaded = tf.saved_model.load(export_dir)
    out = loaded.classify(tf.constant(texts))
    np.testing.assert_allclose(out["probabilities"].numpy(), expected, atol=1e-5)
    assert [x.decode() for x in out["labels"].numpy()] == expected_labels
