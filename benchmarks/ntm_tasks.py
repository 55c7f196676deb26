"""Bit errors per sequence of the NTM and of the LSTM baseline (about as many
weights) on the algorithmic tasks, trained in the same run with the same
wall-clock budget, over several seeds.

Each model trains with `keras_seq.applications.ntm.train` (defaults of
`NTMTaskConfig`: Graves' RMSProp recipe, batch 1, no curriculum, the
best validation epoch kept) for `--budget` seconds, then is measured on
the test split (a seed never used in training) at the sizes of `SIZES`,
trained and never trained. The script prints one line per run, then the
medians and how many seeds reached the task's target.

With `--jobs N` the runs go to N processes at once, each given an equal
share of the cores (TensorFlow's thread pools), so the NTM and the LSTM of
a seed train side by side on the same machine load.

    python benchmarks/ntm_tasks.py --task copy --seeds 0,1,2 --budget 1800 --jobs 6
"""

import argparse
import os
import statistics
import sys
import tempfile

from apart import each_run

# task -> (evaluate keyword, sizes measured, target bit errors at the first size)
SIZES = {
    "copy": ("length", [20, 40, 80], 0.1),
    "repeat-copy": ("length", [10], 1.0),
    "associative-recall": ("items", [6, 10], 1.0),
    "priority-sort": ("items", [20], None),
}


def run(task, model, seed, budget, folder):
    import keras

    from keras_seq.applications.ntm import NTMTaskConfig, train

    class Steps(keras.callbacks.Callback):
        count = 0

        def on_train_batch_end(self, batch, logs=None):
            self.count += 1

    config = NTMTaskConfig(task=task, model=model, seed=seed, epochs=10_000)
    counter = Steps()
    model_dir = os.path.join(folder, f"{task}-{model}-{seed}")
    trained, history = train(
        config, model_dir=model_dir, time_budget=budget, verbose=0, print_fn=lambda *a: None, callbacks=[counter]
    )
    steps = counter.count
    examples = trained.evaluation_examples("embedded", "test")
    key, sizes, _ = SIZES[task]
    errors = {str(size): trained.evaluate(examples, **{key: size})["bit_errors_per_sequence"] for size in sizes}
    curve = [round(v, 2) for v in history.history.get("val_bit_errors", [])]
    return {
        "task": task,
        "model": model,
        "seed": seed,
        "steps": steps,
        "seconds": round(history.seconds),
        "errors": errors,
        "val_bit_errors_by_epoch": curve,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", default="copy", choices=sorted(SIZES))
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--models", default="ntm,lstm")
    parser.add_argument("--budget", type=float, default=1800.0, help="seconds of training per model")
    parser.add_argument("--folder", default=None, help="where the models go (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, default=1, help="runs at once, each in its own process")
    args = parser.parse_args()
    args.folder = args.folder or tempfile.mkdtemp(prefix="ntm_tasks_")
    seeds = [int(s) for s in args.seeds.split(",")]
    runs = [(model, seed) for seed in seeds for model in args.models.split(",")]
    options = ["--task", args.task, "--budget", str(args.budget), "--folder", args.folder]
    results = list(
        each_run(
            runs,
            args.jobs,
            lambda model, seed: [sys.executable, __file__, "--models", model, "--seeds", str(seed), *options],
            lambda model, seed: run(args.task, model, seed, args.budget, args.folder),
        )
    )
    key, sizes, target = SIZES[args.task]
    print(f"\n{args.task}: medians over seeds {args.seeds}, {args.budget:.0f} s of training each")
    for model in args.models.split(","):
        runs = [r for r in results if r["model"] == model]
        medians = ", ".join(
            f"{key} {size}: {statistics.median(r['errors'][str(size)] for r in runs):.3f}" for size in sizes
        )
        reached = ""
        if target is not None:
            reached = (
                f"; under {target} at {key} {sizes[0]}: "
                f"{sum(r['errors'][str(sizes[0])] < target for r in runs)} of {len(runs)} seeds"
            )
        print(f"  {model:5s} {medians}{reached} (median {statistics.median(r['steps'] for r in runs)} steps)")


if __name__ == "__main__":
    main()
