"""Serving load: an exported SavedModel called from 8 threads at once for
30 seconds, against the same export called one request at a time, in the
same run.

For the char LM and the translator, a model with the applications'
defaults is trained on the embedded data for `--train` seconds (serving
speed does not depend on how well it learned), exported, and loaded back
with `tf.saved_model.load` alone (no keras_seq code serves it). Then:

- one at a time: every request once, in order (the peer: what a caller
  without concurrency gets; it also gives the reference answers);
- `--threads` callers for `--seconds`, each request checked against the
  reference (the char LM samples with top-k 1, so an answer is fixed).

It prints requests per second, latency percentiles and the process's peak
memory before and after the threaded phase, and the ratio of threaded to
single-caller throughput.

    python benchmarks/serving.py [--seconds 30] [--threads 8] [--train 120]
"""

import argparse
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

from keras_seq.export import load_test  # noqa: E402

QUIET = {"verbose": 0, "print_fn": lambda *a: None}  # train() prints nothing


def char_lm_call(folder, budget):
    from keras_seq.applications.char_lm import CharLMConfig, train

    model_dir = os.path.join(folder, "char_lm")
    lm, _ = train(CharLMConfig(), data="embedded", model_dir=model_dir, time_budget=budget, samples=False, **QUIET)
    lm.export(os.path.join(folder, "char_lm_export"))
    served = tf.saved_model.load(os.path.join(folder, "char_lm_export"))
    prompts = ["ROMEO:", "To be, or not", "KING HENRY", "First Citizen:\nBefore we proceed", "O", "What light"]

    def call(prompt):
        return served.generate(tf.constant(prompt), tf.constant(100), tf.constant(1.0), tf.constant(1)).numpy().decode()

    return served, call, prompts, "generate(prompt, max_length=100, top_k=1)"


def translator_call(folder, budget):
    from keras_seq.applications.translate import TranslatorConfig, train

    model_dir = os.path.join(folder, "translate")
    translator, history = train(TranslatorConfig(), data="embedded", model_dir=model_dir, time_budget=budget, **QUIET)
    translator.export(os.path.join(folder, "translate_export"))
    served = tf.saved_model.load(os.path.join(folder, "translate_export"))
    sentences = list(history.validation_examples.sources[:16])

    def call(sentence):
        return served.translate(tf.constant([sentence])).numpy()[0].decode()

    return served, call, sentences, "translate([sentence]), beam 5"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--train", type=float, default=120.0, help="seconds of training per model before export")
    parser.add_argument("--apps", default="char_lm,translate")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="serving_")
    makers = {"char_lm": char_lm_call, "translate": translator_call}
    for app in args.apps.split(","):
        served, call, requests, what = makers[app](folder, args.train)
        began = time.perf_counter()
        for request in requests:  # one at a time, for the same wall time
            call(request)
        one_pass = time.perf_counter() - began
        passes = max(1, int(args.seconds / max(one_pass, 1e-3)))
        began = time.perf_counter()
        for _ in range(passes):
            for request in requests:
                call(request)
        single_rps = passes * len(requests) / (time.perf_counter() - began)
        report = load_test(call, requests, threads=args.threads, seconds=args.seconds)
        report.update(app=app, signature=what, single_caller_requests_per_s=round(single_rps, 2))
        report["threaded_over_single"] = round(report["requests_per_s"] / single_rps, 2)
        print(json.dumps(report), flush=True)
        if report["errors"] or report["mismatches"]:
            print(
                f"{app}: {report['errors']} errors, {report['mismatches']} answers unlike single calls", file=sys.stderr
            )


if __name__ == "__main__":
    main()
