"""What a user gets from the translator's defaults, against the plain Keras
design of the TensorFlow tutorial, on several language pairs, with the same
wall-clock budget.

For each pair (English -> `--pairs`, Multi30k in `../shared/data/multi30k/`):

- ours: `keras-seq translate train --data .../train --tgt-lang XX
  --time-budget BUDGET`, the command a user runs, with every default
  (subword vocabularies, cased text, until the budget); then the saved
  model translates the val split greedily and with its beam search (beam 5,
  its n-gram ban), and again with the ban off;
- peer: `translation.PlainKerasTranslator` (built-in GRU encoder and decoder,
  `AdditiveAttention` after the decoder, lowercase 8,000-word vocabularies,
  length-bucketed batches), trained for the same BUDGET seconds with a
  cosine learning rate; greedy decoding.

Both are scored with one sacreBLEU setting (13a, cased) on detokenized text
against the raw references, and with `lowercase=True` too (the peer's output
is lowercase, so its cased score is low by construction). The script also
counts `[UNK]` in the outputs and the share of outputs that repeat a word
trigram, and keeps sample translations.

With `--parallel` each pair runs in its own process pinned to its own CPU
core (ours, then the peer, on that core): pairs never share a core, and
within a pair both models have the same core for the same time.

    python benchmarks/translation_defaults.py --budget 1800 --pairs de cs --parallel   # the recorded run
    python benchmarks/translation_defaults.py --budget 60 --pairs de --limit 2000 --val-limit 100   # a smoke run
    # a setting of ours:
    python benchmarks/translation_defaults.py --budget 900 --parallel --no-peer --no-ban-off \
        --variants "" "--max-vocab 4000 "
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "multi30k")
SAMPLES = 4


def scores(hypotheses, references):
    """Cased and lowercase BLEU, chrF, `[UNK]`s and the repeated-trigram
    share of detokenized `hypotheses`."""
    import sacrebleu

    from keras_seq.data import repeated_ngram_rate

    return {
        "bleu": round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 2),
        "bleu_lowercase": round(sacrebleu.corpus_bleu(hypotheses, [references], lowercase=True).score, 2),
        "chrf": round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2),
        "unk": sum(h.count("[UNK]") for h in hypotheses),
        "repeated_3gram": round(repeated_ngram_rate(hypotheses, 3), 4),
    }


def run_ours(args, lang, train_prefix, sources, references, rows, samples, flags="", label="ours"):
    """Train with the CLI (the defaults, plus `flags`) and score the model,
    its rows named after `label`."""
    from keras_seq.applications.translate import Translator

    model_dir = os.path.join(args.folder, f"en-{lang}-{label}")
    command = [
        sys.executable,
        "-m",
        "keras_seq.applications.cli",
        "translate",
        "train",
        "--data",
        train_prefix,
        "--tgt-lang",
        lang,
    ]
    command += ["--model-dir", model_dir, "--time-budget", str(args.budget), "--quiet", *flags.split()]
    begin = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"en-{lang} {label}: training failed:\n{result.stderr[-3000:]}")
    print(
        f"en-{lang} {label} trained in {time.perf_counter() - begin:.0f} s: "
        f"{result.stdout.strip().splitlines()[-1][:300]}",
        flush=True,
    )
    translator = Translator.load(model_dir)
    config = translator.config
    for ban in (config.no_repeat_ngram, 0)[: 2 if args.ban_off else 1]:
        for width in (1, config.beam_width):
            begin = time.perf_counter()
            hypotheses = translator.translate(sources, beam_width=width, no_repeat_ngram=ban)
            name = f"{label}_{'greedy' if width == 1 else f'beam{width}'}" + (
                "" if ban == config.no_repeat_ngram else "_no_ban"
            )
            rows[name] = {
                **scores(hypotheses, references),
                "sentences_per_s": round(len(hypotheses) / (time.perf_counter() - begin), 1),
            }
            samples[name] = hypotheses[:SAMPLES]
    rows[f"{label}_settings"] = {
        "flags": flags,
        "vocabulary": config.vocabulary,
        "lowercase": config.lowercase,
        "no_repeat_ngram": config.no_repeat_ngram,
    }
    rows[f"{label}_vocab_sizes"] = [config.src_vocab_size, config.tgt_vocab_size]


def run_peer(args, lang, train_prefix, sources, references, rows, samples):
    import numpy as np
    from translation import PlainKerasTranslator, batches, peer_translations, train_alternating

    from keras_seq.applications.translate import TranslatorConfig
    from keras_seq.applications.translate.data import encode_pairs, read_parallel
    from keras_seq.data import WordVocabulary, normalize

    train = read_parallel(train_prefix, "en", lang)
    src_text = [normalize(s) for s in train.sources][: args.limit]
    tgt_text = [normalize(t) for t in train.targets][: args.limit]
    source_vocab, target_vocab = WordVocabulary.build(src_text, 8000), WordVocabulary.build(tgt_text, 8000)
    config = TranslatorConfig(
        vocabulary="word", lowercase=True, src_vocab_size=source_vocab.size, tgt_vocab_size=target_vocab.size
    )
    src, tgt_in, tgt_out = encode_pairs(src_text, tgt_text, source_vocab, target_vocab, config.max_length)
    peer = PlainKerasTranslator(config, config.seed)
    stream = batches(src, tgt_in, tgt_out, config.batch_size, np.random.default_rng(config.seed))
    steps = train_alternating({"keras": peer.model}, {"keras": stream}, args.budget, 60.0, config.learning_rate)
    hypotheses, seconds = peer_translations(peer, sources, source_vocab, target_vocab, config.max_length)
    rows["keras_greedy"] = {**scores(hypotheses, references), "sentences_per_s": round(len(hypotheses) / seconds, 1)}
    rows["keras_steps"] = steps["keras"]
    samples["keras_greedy"] = hypotheses[:SAMPLES]


def run_pair(args, lang):
    from keras_seq.applications.translate.data import read_parallel

    train_prefix = os.path.join(args.folder, f"train-en-{lang}")
    if args.limit:  # a smaller copy of the training files, for a smoke run
        train = read_parallel(os.path.join(args.data, "train"), "en", lang)
        for side, texts in (("en", train.sources), (lang, train.targets)):
            with open(f"{train_prefix}.{side}", "w", encoding="utf-8") as f:
                f.write("\n".join(texts[: args.limit]) + "\n")
    else:
        train_prefix = os.path.join(args.data, "train")
    val = read_parallel(os.path.join(args.data, "val"), "en", lang)
    sources, references = val.sources[: args.val_limit], val.targets[: args.val_limit]
    rows, samples = (
        {"pair": f"en-{lang}", "budget_s": args.budget, "val_pairs": len(sources)},
        {"source": sources[:SAMPLES], "reference": references[:SAMPLES]},
    )
    for number, flags in enumerate(args.variants):
        run_ours(
            args,
            lang,
            train_prefix,
            sources,
            references,
            rows,
            samples,
            flags,
            "ours" if number == 0 else f"ours{number}",
        )
    if args.peer:
        run_peer(args, lang, train_prefix, sources, references, rows, samples)
    for name, row in rows.items():
        if isinstance(row, dict):
            print(f"en-{lang} {name:>20}: " + ", ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    result = {**rows, "samples": samples}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=1800.0, help="training seconds of each model")
    parser.add_argument("--pairs", nargs="+", default=["de", "cs"], help="target languages (English is the source)")
    parser.add_argument("--parallel", action="store_true", help="one process per pair, each pinned to its own core")
    parser.add_argument(
        "--variants",
        nargs="+",
        default=[""],
        metavar="FLAGS",
        help="train ours once per quoted string of extra CLI flags (with a space in it), in order (rows ours, ours1, "
        "...); default: the defaults alone",
    )
    parser.add_argument(
        "--no-ban-off", dest="ban_off", action="store_false", help="skip the rows that decode without the n-gram ban"
    )
    parser.add_argument(
        "--no-peer", dest="peer", action="store_false", help="train ours only (to compare settings of ours)"
    )
    parser.add_argument("--core", type=int, default=None, help=argparse.SUPPRESS)  # set by --parallel
    parser.add_argument("--limit", type=int, default=None, help="train on this many pairs only")
    parser.add_argument("--val-limit", type=int, default=None, help="score this many val sentences only")
    parser.add_argument("--folder", default=os.path.join("saved_models", "translation_defaults"))
    parser.add_argument("--data", default=DATA)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    if args.parallel:
        children = []
        for core, lang in enumerate(args.pairs):
            command = [
                sys.executable,
                __file__,
                "--pairs",
                lang,
                "--core",
                str(core),
                "--budget",
                str(args.budget),
                "--folder",
                args.folder,
            ]
            command += (
                ["--data", args.data, "--variants", *args.variants]
                + ([] if args.peer else ["--no-peer"])
                + ([] if args.ban_off else ["--no-ban-off"])
            )
            command += ["--limit", str(args.limit)] if args.limit else []
            command += ["--val-limit", str(args.val_limit)] if args.val_limit else []
            children.append(subprocess.Popen(command))
        sys.exit(max(child.wait() for child in children))
    if args.core is not None:
        os.sched_setaffinity(0, {args.core})  # before TensorFlow starts its threads; the CLI's process inherits it
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    for lang in args.pairs:
        run_pair(args, lang)


if __name__ == "__main__":
    main()
