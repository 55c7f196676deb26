import pytest

from keras_seq.applications.char_lm import CharLMConfig, train

TEXT = "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer\n" * 40


@pytest.fixture(scope="session")
def trained(tmp_path_factory, text_file):
    """A tiny char LM trained for a few epochs on a repetitive text."""
    from keras_seq.applications.char_lm import CharLM
    from tests.applications.shared import trained_once

    config = CharLMConfig(units=32, embedding_dim=16, sequence_length=20, batch_size=8, learning_rate=1e-2, epochs=6)
    return trained_once(tmp_path_factory, "char_lm", train, CharLM.load, config, data=str(text_file), samples=False)
