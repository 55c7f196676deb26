import pytest

from keras_seq.applications.ntm import NTMTaskConfig, train

TINY = NTMTaskConfig(
    units=16,
    memory_size=12,
    memory_width=6,
    max_size=4,
    steps_per_epoch=15,
    batch_size=16,
    epochs=2,
    learning_rate=3e-3,
    jit_compile=False,
)


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """A tiny copy NTM trained for two short epochs, shared by the tests."""
    from keras_seq.applications.ntm import NTMTask
    from tests.applications.shared import trained_once

    return trained_once(tmp_path_factory, "ntm", train, NTMTask.load, TINY)
