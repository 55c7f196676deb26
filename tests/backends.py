"""Running a script on another Keras backend, in a process of its own."""

import json
import os
import subprocess
import sys

import pytest


def run_on_jax(script, timeout=600):
    """Run `script` with `KERAS_BACKEND=jax` and return the JSON object of
    its last line of output; skip the test where JAX is not installed (it
    is not a dependency)."""
    pytest.importorskip("jax")
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
