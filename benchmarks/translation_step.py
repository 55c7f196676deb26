"""Training-step time of the translator's variants against the plain Keras
translator of `benchmarks/translation.py`, on one fixed batch, in one run.

Random ids, batch 64, 14 source and 16 target tokens (about the median
Multi30k bucket), 8,000-word vocabularies; medians of 15 steps after 3
warm-up steps. Prints each variant's ms per step and its ratio to the peer.

    python benchmarks/translation_step.py [--batch 64]
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from translation import PlainKerasTranslator  # noqa: E402

from keras_seq.applications.translate import TranslatorConfig, build_translator  # noqa: E402


def step_ms(model, batch, rounds=15):
    for _ in range(3):
        model.train_on_batch(batch[:2], batch[2])
    times = []
    for _ in range(rounds):
        begin = time.perf_counter()
        model.train_on_batch(batch[:2], batch[2])
        times.append(time.perf_counter() - begin)
    return 1000 * float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    batch = [rng.integers(4, 8000, (args.batch, n)).astype("int32") for n in (14, 16, 16)]
    base = TranslatorConfig(src_vocab_size=8000, tgt_vocab_size=8000)
    results = {"peer": step_ms(PlainKerasTranslator(base, 0).model, batch)}
    variants = (
        ("luong", {"attention": "luong", "input_feeding": False}),
        ("bahdanau", {"attention": "bahdanau", "input_feeding": False}),
        ("luong_feeding", {"attention": "luong", "input_feeding": True}),
        ("bahdanau_feeding", {"attention": "bahdanau", "input_feeding": True}),
    )
    for name, changes in variants:
        results[name] = step_ms(build_translator(base.replace(**changes)), batch)
    for name, ms in results.items():
        print(f"{name:>17}: {ms:6.1f} ms/step, {ms / results['peer']:.2f}x the peer's time")
    print(json.dumps({name: round(ms, 1) for name, ms in results.items()}))


if __name__ == "__main__":
    main()
