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


def each_run(runs, jobs, command, here):
    """The result of each `(model, seed)` of `runs`, printed as it comes:
    with `jobs > 1`, `command(model, seed)` (this script's own command
    line for that run) in processes of their own, `jobs` at a time;
    otherwise `here(model, seed)` in this process, one after another."""
    results = map_apart([command(model, seed) for model, seed in runs], jobs) if jobs > 1 else (here(*r) for r in runs)
    for result in results:
        print(json.dumps(result), flush=True)
        yield result
