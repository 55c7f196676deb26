import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_keras_state():
    """Each test starts from the float32 policy and a cleared session."""
    keras.config.set_dtype_policy("float32")
    yield
    keras.config.set_dtype_policy("float32")
    keras.backend.clear_session()


def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (`--dist loadgroup`), an application's test files
    share one worker, so its session fixtures (small trained models) are
    trained once; every other file is a group of its own."""
    for item in items:
        parts = item.path.relative_to(config.rootpath).parts
        group = "/".join(parts[:3]) if parts[:2] == ("tests", "applications") and len(parts) > 3 else str(item.path)
        item.add_marker(pytest.mark.xdist_group(group))
