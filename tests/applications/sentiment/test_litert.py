"""`keras-seq sentiment export --format litert`: token ids in, probabilities out."""

import json

import numpy as np

from tests.applications.shared import RUN_IDS, litert_exported, on_device


def test_the_litert_model_classifies_as_the_classifier_does(trained, tmp_path, capsys):
    classifier, _, model_dir = trained
    folder = tmp_path / "litert"
    assert "WHILE" in litert_exported(capsys, "sentiment", model_dir, folder)  # the bidirectional GRU as loops
    about = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    layers = {layer.name: layer for layer in classifier.model.layers}
    assert about["inputs"] == {name: list(layers[name].get_vocabulary()) for name in about["inputs"]}
    for text in ["The food was lovely, I loved it.", "Awful, rude staff!"]:
        ids = {}  # what a caller computes from the vocabulary file
        for name, vocabulary in about["inputs"].items():
            index = {word: i for i, word in enumerate(vocabulary)}
            words = "".join(c for c in text.lower() if c not in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").split()
            row = [index.get(word, 1) for word in words][: about["sequence_length"]]
            ids[name] = row + [0] * (about["sequence_length"] - len(row))
            assert ids[name] == np.asarray(layers[name](np.array([text], dtype=object)))[0].tolist()
        device = on_device(RUN_IDS, folder, json.dumps(ids), "int64", "probabilities")
        expected = np.asarray(classifier.model(np.array([text], dtype=object)))[0]
        np.testing.assert_allclose(device["probabilities"], expected, atol=1e-4)


def test_an_lstm_classifier_becomes_fused_lstm_ops_with_the_models_probabilities(csv_file, tmp_path):
    from ai_edge_litert.interpreter import Interpreter

    from keras_seq.applications.sentiment import SentimentConfig, train
    from keras_seq.applications.sentiment.litert import ClassifierLiteRT
    from keras_seq.export.litert import FUSED_LSTM

    config = SentimentConfig(cell="lstm", units=8, embedding_dim=8, attention_units=4, epochs=1, sequence_length=12)
    classifier, _ = train(config, data=str(csv_file), model_dir=str(tmp_path / "model"), verbose=0)
    exporter = ClassifierLiteRT(classifier)
    ops = exporter.write(str(tmp_path / "lstm.tflite"))
    assert FUSED_LSTM in ops and "WHILE" not in ops, ops  # both directions fused, the backward one per row
    run = Interpreter(model_path=str(tmp_path / "lstm.tflite")).get_signature_runner()
    for text in ["Great food and lovely staff.", "Awful!", "the movie was boring and the phone broke fast too"]:
        ids = {v.name: np.asarray(v(np.array([text], dtype=object))) for v in exporter.vectorizers}
        expected = np.asarray(classifier.model(np.array([text], dtype=object)))
        np.testing.assert_allclose(run(**ids)["probabilities"], expected, atol=1e-4)
