import pytest

from keras_seq.applications.translate import TranslatorConfig, train

SMALL = TranslatorConfig(
    embedding_dim=16,
    encoder_units=16,
    decoder_units=32,
    max_length=12,
    batch_size=32,
    learning_rate=1e-2,
    dropout=0.0,
    beam_width=3,
)

# a toy language: reverse the word order and rename the words
WORDS = {
    "red": "rot",
    "blue": "blau",
    "cat": "katze",
    "dog": "hund",
    "big": "gross",
    "small": "klein",
    "sees": "sieht",
    "a": "ein",
}


def toy_pairs(count, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    english = list(WORDS)
    pairs = []
    for _ in range(count):
        words = list(rng.choice(english, size=int(rng.integers(2, 5))))
        pairs.append((" ".join(words), " ".join(WORDS[w] for w in reversed(words))))
    return pairs


@pytest.fixture(scope="session")
def tsv_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("tsv") / "pairs.tsv"
    path.write_text("\n".join(f"{s}\t{t}\tattribution" for s, t in toy_pairs(1500)) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def trained(tmp_path_factory, tsv_file):
    """The toy translator, trained once for the whole session."""
    from keras_seq.applications.translate import Translator
    from tests.applications.shared import trained_once

    def fit(model_dir):
        return train(
            SMALL.replace(epochs=6, validation_split=0.1),
            data=str(tsv_file),
            model_dir=model_dir,
            verbose=0,
            print_fn=lambda *a: None,
        )

    translator, history, model_dir = trained_once(tmp_path_factory, "translator", fit, Translator.load)
    return translator, history, history.validation_examples, model_dir
