import pytest

from keras_seq.applications.ntm import NTMTaskConfig, train

TINY = NTMTaskConfig(units=16, memory_size=12, memory_width=6, max_size=4, steps_per_epoch=15, batch_size=16, epochs=2, learning_rate=3e-3, jit_compile=False)


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """A tiny copy NTM trained for two short epochs, shared by the tests."""
    model_dir = tmp_path_factory.mktemp("ntm")
    task, history = train(TINY, model_dir=str(model_dir), verbose=0, print_fn=lambda *a: None)
    return task, history, model_dir
