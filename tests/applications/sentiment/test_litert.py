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
