"""The captioner against the same decoder without attention (the classic
show-and-tell design: the decoder sees the image as its mean feature),
trained in the same run with the same wall-clock budget on the embedded
digit strips, over several seeds.

Each model trains with `keras_seq.applications.caption.train` (the
defaults of `CaptionerConfig`; the peer changes only `attention="none"`)
for `--budget` seconds, then is measured on strips it never saw, written
in handwriting it never saw:

- `test`: 1-4 digits, as in training; exact match is also given per
  caption length;
- `longer`: 5 digits, one word longer than any caption of training.

Exact match, BLEU-4 and CIDEr-D are reported for greedy search and for
beam search (`--beam-width`, 5 by default). With `--jobs N` the runs go to
N processes at once, each with an equal share of the cores.

    python benchmarks/captioning.py --budget 900 --seeds 0,1,2 --jobs 2
"""

import argparse
import os
import statistics
import sys
import tempfile

from apart import each_run

MODELS = {"ours": {}, "no_attention": {"attention": "none"}}


def run(model, seed, budget, beam_width, folder):
    import numpy as np

    from keras_seq.applications.caption import CaptionerConfig, train
    from keras_seq.applications.caption.data import embedded_split

    config = CaptionerConfig(seed=seed, epochs=100_000, **MODELS[model])
    captioner, history = train(
        config,
        model_dir=os.path.join(folder, f"{model}-{seed}"),
        time_budget=budget,
        verbose=0,
        print_fn=lambda *a: None,
    )
    result = {"model": model, "seed": seed, "epochs": len(history.history["loss"]), "seconds": round(history.seconds)}
    for split in ("test", "longer"):
        data = embedded_split(split)
        metrics = captioner.evaluate(data, beam_width=beam_width)
        for name in ("greedy", "beam"):
            for key in ("exact_match", "bleu_4", "cider"):
                result[f"{split}_{key}_{name}"] = metrics[f"{key}_{name}"]
        if split == "test":  # exact match per caption length, greedy
            hypotheses = captioner.caption(data.images, beam_width=1)
            lengths = np.array([len(c[0].split()) for c in data.captions])
            right = np.array([h == c[0] for h, c in zip(hypotheses, data.captions)])
            result["test_exact_match_by_length"] = {
                int(n): round(float(right[lengths == n].mean()), 4) for n in sorted(set(lengths))
            }
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--models", default="ours,no_attention")
    parser.add_argument("--budget", type=float, default=900.0, help="seconds of training per model")
    parser.add_argument("--beam-width", type=int, default=5)
    parser.add_argument("--folder", default=None, help="where the models go (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, default=1, help="runs at once, each in its own process")
    args = parser.parse_args()
    args.folder = args.folder or tempfile.mkdtemp(prefix="captioning_")
    runs = [(model, int(seed)) for seed in args.seeds.split(",") for model in args.models.split(",")]
    options = ["--budget", str(args.budget), "--beam-width", str(args.beam_width), "--folder", args.folder]
    results = list(
        each_run(
            runs,
            args.jobs,
            lambda model, seed: [sys.executable, __file__, "--models", model, "--seeds", str(seed), *options],
            lambda model, seed: run(model, seed, args.budget, args.beam_width, args.folder),
        )
    )
    print(f"\nmedians over seeds {args.seeds}, {args.budget:.0f} s of training each (greedy / beam {args.beam_width})")
    keys = ["test_exact_match", "test_bleu_4", "test_cider", "longer_exact_match", "longer_bleu_4", "longer_cider"]
    medians = {}
    for model in args.models.split(","):
        mine = [r for r in results if r["model"] == model]
        medians[model] = {
            f"{k}_{n}": statistics.median(r[f"{k}_{n}"] for r in mine) for k in keys for n in ("greedy", "beam")
        }
        shown = ", ".join(f"{k} {medians[model][k + '_greedy']:.3f} / {medians[model][k + '_beam']:.3f}" for k in keys)
        reached = (
            sum(r["test_exact_match_beam"] >= 0.9 for r in mine),
            sum(r["longer_exact_match_beam"] >= 0.7 for r in mine),
        )
        print(
            f"  {model}: {shown}; seeds at >= 90% test / >= 70% longer exact match (beam): {reached[0]} / "
            f"{reached[1]} of {len(mine)}"
        )
    if {"ours", "no_attention"} <= set(medians):
        for k in ("test_exact_match_beam", "longer_exact_match_beam", "test_cider_beam"):
            ratio = medians["ours"][k] / max(medians["no_attention"][k], 1e-9)
            print(f"  ours / no attention, {k}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
