"""Repeated phrases in translations, with and without beam search's n-gram
ban, on models trained the way a user trains them (the CLI's defaults).

For each language pair, `keras-seq translate train` runs with the defaults
and `--time-budget` on `../shared/data/multi30k/train`, then `keras-seq
translate evaluate` scores the val split (`--split all`) with
`--no-repeat-ngram 0` (off), then 3 and 2. Each evaluation reports BLEU and
chrF (sacreBLEU, lowercase detokenized text, as the translator evaluates)
and the share of translations that repeat a word trigram, for greedy and for
beam search. The ban changes decoding only, so the rows of a pair compare
one model with itself.

    python benchmarks/repetition.py --budget 600 --pairs de cs
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "multi30k")


def keras_seq(*args):
    command = [sys.executable, "-m", "keras_seq.applications.cli", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=600.0, help="seconds of training per pair")
    parser.add_argument("--pairs", nargs="+", default=["de", "cs"], help="target languages (English is the source)")
    parser.add_argument("--bans", type=int, nargs="+", default=[0, 3, 2])
    parser.add_argument("--folder", default=os.path.join("saved_models", "repetition"))
    parser.add_argument("--data", default=DATA)
    args = parser.parse_args()
    rows = []
    for lang in args.pairs:
        model_dir = os.path.join(args.folder, f"en-{lang}")
        train = os.path.join(args.data, "train")
        keras_seq(
            "translate",
            "train",
            "--data",
            train,
            "--tgt-lang",
            lang,
            "--model-dir",
            model_dir,
            "--time-budget",
            str(args.budget),
            "--quiet",
        )
        for ban in args.bans:
            out = keras_seq(
                "translate", "evaluate", "--data", os.path.join(args.data, "val"), "--tgt-lang", lang, "--split", "all",
                "--model-dir", model_dir, "--no-repeat-ngram", str(ban),
            )  # fmt: skip
            metrics = json.loads(out.strip().splitlines()[-1])
            row = {"pair": f"en-{lang}", "no_repeat_ngram": ban, **metrics}
            rows.append(row)
            print(
                f"en-{lang} ban {ban}: BLEU greedy {row['bleu_greedy']:.2f} beam {row['bleu_beam']:.2f}; "
                f"repeated 3-gram greedy {row['repeated_3gram_greedy']:.1%} beam {row['repeated_3gram_beam']:.1%}",
                flush=True,
            )
    print(json.dumps({"budget": args.budget, "rows": rows}))


if __name__ == "__main__":
    main()
