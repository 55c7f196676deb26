import pytest

from keras_seq.applications.translate import Translator, TranslatorConfig, train
from tests.applications.shared import trained_once

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


def toy_pairs(count, seed=0):
    """The toy language of `keras_seq.data` (words renamed, order reversed)."""
    from keras_seq.data import toy_language_pairs

    return toy_language_pairs(count, seed=seed)


def write_pairs(path, count, more_columns=""):
    """A TSV of `count` toy pairs (a user's file), each line ending with `more_columns`."""
    path.write_text("".join(f"{s}\t{t}{more_columns}\n" for s, t in toy_pairs(count)), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tsv_file(tmp_path_factory):
    return write_pairs(tmp_path_factory.mktemp("tsv") / "pairs.tsv", 1500, "\tattribution")


@pytest.fixture(scope="session")
def trained(tmp_path_factory, tsv_file):
    """The toy translator, trained once for the whole session."""
    config = SMALL.replace(epochs=6, validation_split=0.1)
    translator, history, model_dir = trained_once(
        tmp_path_factory, "translator", train, Translator.load, config, data=str(tsv_file)
    )
    return translator, history, history.validation_examples, model_dir
