"""A shared check for the classifier's frozen per-token features."""

import keras
import numpy as np

from keras_seq.applications.sentiment import SentimentClassifier


def check_frozen_explained_and_saved(model, config, frozen_layer, texts, labels, unknown_text, tmp_path):
    """Fits a little: `frozen_layer`'s table must not move; then `explain`
    on `unknown_text` (an out-of-vocabulary word, then "movie") and a
    `.keras` round trip under `safe_mode=True`."""
    table = model.get_layer(frozen_layer).get_weights()[0]
    x = np.array(texts, dtype=object)
    model.fit(x, np.array(labels, dtype="float32")[:, None], epochs=2, verbose=0)
    np.testing.assert_array_equal(model.get_layer(frozen_layer).get_weights()[0], table)
    ((tokens, weights),) = SentimentClassifier(model).explain([unknown_text])
    assert tokens == ["[UNK]", "movie"] and abs(sum(weights) - 1) < 1e-5
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
