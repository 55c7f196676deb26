"""Models saved before the encoder-decoder backbones (format 1: a
functional graph of separate layers, with masks from `mask_zero`) load
and give the outputs they gave when they were saved. The files in
`format1/` were written by keras-seq at 9134cc5 (untrained, tiny
configs); `expected.json` holds their outputs then (the captioner's logits
in inference mode, `training=False`)."""

import json
import pathlib

import keras
import numpy as np
import pytest

from keras_seq.applications.caption import Captioner
from keras_seq.applications.translate import Translator

FOLDER = pathlib.Path(__file__).parent / "format1"
EXPECTED = json.loads((FOLDER / "expected.json").read_text())
SENTENCES = ["a big dog sees a cat", "red cat", "the small blue dog"]


@pytest.mark.parametrize(
    "name",
    # the two load through the same code; the second (6 s) adds the LSTM and location-sensitive attention's weights
    ["translator_gru_bahdanau", pytest.param("translator_lstm_location_tied", marks=pytest.mark.slow)],
)
def test_an_old_translator_translates_as_it_did(name):
    translator, expected = Translator.load(str(FOLDER / name)), EXPECTED[name]
    ids = translator.encode_sources(SENTENCES)
    logits = keras.ops.convert_to_numpy(translator.model([ids, np.array(expected["target_in"], "int32")]))
    np.testing.assert_allclose(logits, np.array(expected["logits"]), atol=1e-5)
    assert translator.translate(SENTENCES, beam_width=1) == expected["greedy"]
    assert translator.translate(SENTENCES, beam_width=3) == expected["beam"]


def test_an_old_captioner_captions_as_it_did():
    captioner, expected = Captioner.load(str(FOLDER / "captioner")), EXPECTED["captioner"]
    images = np.load(FOLDER / "images.npy")
    caption_in = np.array(expected["caption_in"], "int32")
    logits = keras.ops.convert_to_numpy(captioner.model([images, caption_in], training=False))
    np.testing.assert_allclose(logits, np.array(expected["logits"]), atol=1e-5)
    assert captioner.caption(list(images), beam_width=1) == expected["greedy"]
    assert captioner.caption(list(images), beam_width=3) == expected["beam"]
    # a call without `training` is inference: batch normalization's statistics stay (the first format moved them)
    captioner.model([images, caption_in])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(captioner.model([images, caption_in])), logits, atol=1e-6)
