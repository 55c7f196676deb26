import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if os.environ.get("PYTEST_XDIST_WORKER"):  # the cores shared among the workers: no thread pools fighting for them
    _threads = str(max(1, (os.cpu_count() or 1) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))))
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", _threads)  # read when TensorFlow starts, in this process
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", _threads)  # and in the processes tests start

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _tensorflow_for_tests():
    """TensorFlow's graph optimizer (grappler) rewrites each traced function
    before its first run; on the tests' tiny models that took longer than
    running them (a fifth of the time of the forecaster's and the GRU's
    tests). The test processes turn it off; the processes the tests start
    (the command line, the fresh process that serves an export, the workers
    of a cluster) keep it on, as a user's do, and compare with the answers
    computed here without it. (A fixture, so that xdist's controller, which
    runs no test, never starts TensorFlow.)"""
    import tensorflow as tf

    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})


@pytest.fixture(autouse=True)
def _fresh_keras_state():
    """Each test starts from the float32 policy and a cleared session."""
    import keras

    keras.config.set_dtype_policy("float32")
    yield
    keras.config.set_dtype_policy("float32")
    keras.backend.clear_session(free_memory=False)  # a full gc.collect() each test cost about 0.5 s


def _work_unit(nodeid):
    """What one xdist worker runs whole: all the tests of an application's
    folder (they share its session-scoped trained model, which each worker
    that ran one of them would train again), and each other file (its
    module-scoped fixtures)."""
    parts = nodeid.split("::")[0].split("/")
    return parts[2] if parts[:2] == ["tests", "applications"] and len(parts) > 3 else "/".join(parts)


def pytest_xdist_make_scheduler(config, log):
    """xdist's scope scheduling, over `_work_unit`s. (Its `loadgroup` mode
    would do the same from markers, but with pytest 9.2 it no longer
    changes the test ids it groups by, and silently splits the groups.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ByWorkUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return _work_unit(nodeid)

    return ByWorkUnit(config, log)


def pytest_collection_modifyitems(items):
    """The applications' tests first, then the library's: xdist hands out
    the work units in this order (`--no-loadscope-reorder`), so the long
    ones start early and the many short ones fill the end."""
    items.sort(key=lambda item: not item.nodeid.startswith(("tests/applications/", "tests/test_examples.py")))
