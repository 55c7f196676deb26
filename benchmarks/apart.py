"""Runs of a benchmark side by side, each in a process of its own with an
equal share of the cores (TensorFlow's thread pools), so that the models
compared train under the same machine load."""

import concurrent.futures
import json
import os
import subprocess


def run_apart(command, threads):
    """Run `command` (a list) with `threads` TensorFlow threads; its first
    line of stdout that is a JSON object."""
    env = {**os.environ, "TF_NUM_INTRAOP_THREADS": str(threads), "TF_NUM_INTEROP_THREADS": "1"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))


def map_apart(commands, jobs):
    """The JSON result of each command, in order, `jobs` at a time."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        yield from pool.map(lambda command: run_apart(command, threads), commands)
