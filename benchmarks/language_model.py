"""Per-word perplexity of our language models (characters, words and
subwords) and of the plain Keras word-level model a user would write, on
held-out text, each trained for the same wall-clock budget in one run.

- shakespeare (stream mode): tiny Shakespeare from ../shared/data; the
  models train on the first 90% (the app holds out its own last tenth for
  validation), and every model is scored on the last 10%, never seen.
- multi30k (sentence mode): the English side of Multi30k; train.en to
  train, val.en (1,014 sentences) to score.

The peer: `TextVectorization` (no standardization, whitespace split, our
word model's vocabulary: the same ids from the same normalized text, a
line end as `[END]`) -> `Embedding` -> `keras.layers.LSTM` -> `Dense`, the
same sizes as our word model (so the same parameter count), Adam at its
default rate, windows (stream) or padded sentences from `[BEGIN]`
(sentence mode), as ours. Per-word perplexity divides the nats of every
predicted token by the text's words and line ends
(`tokens.count_words`), whatever the tokens.

    python benchmarks/language_model.py [--data shakespeare multi30k] [--budget 900] [--seeds 0 1 2]
"""

import argparse
import gzip
import math
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_seq.applications.char_lm import CharLMConfig, train  # noqa: E402
from keras_seq.applications.char_lm.data import sentence_dataset, window_dataset  # noqa: E402
from keras_seq.applications.char_lm.tokens import TextTokens, count_words  # noqa: E402
from keras_seq.training import TimeBudget  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")
QUIET = {"verbose": 0, "print_fn": lambda *a: None, "samples": False}
# sequence length per tokens: about the same span of text in each
LENGTHS = {"stream": {"char": 100, "word": 25, "subword": 30}, "sentence": {"char": 160, "word": 40, "subword": 48}}


def load(name):
    """`(unit, training text, held-out text)`."""
    if name == "shakespeare":
        with open(os.path.join(DATA, "tinyshakespeare.txt"), encoding="utf-8") as file:
            text = file.read()
        cut = int(len(text) * 0.9)
        return "stream", text[:cut], text[cut:]
    parts = []
    for split in ("train", "val"):
        with gzip.open(os.path.join(DATA, "multi30k", f"{split}.en.gz"), "rt", encoding="utf-8") as file:
            parts.append(file.read())
    return "sentence", parts[0], parts[1]


def ours(kind, unit, train_text, held_out, budget, seed, folder):
    path = os.path.join(folder, "train.txt")
    with open(path, "w", encoding="utf-8") as file:
        file.write(train_text)
    config = CharLMConfig(tokens=kind, unit=unit, seed=seed, sequence_length=LENGTHS[unit][kind], epochs=10_000)
    lm, history = train(
        config, data=path, model_dir=os.path.join(folder, f"{kind}-{seed}"), time_budget=budget, **QUIET
    )
    metrics = lm.evaluate(held_out)
    return {**metrics, "params": lm.model.count_params(), "epochs": len(history.history["loss"])}


def peer(unit, train_text, held_out, budget, seed):
    """The plain Keras word model, on our word model's vocabulary and token stream."""
    keras.utils.set_random_seed(seed)
    config = CharLMConfig(tokens="word", unit=unit)
    tokens = TextTokens.build("word", train_text, config.max_vocab, unit)
    vectorize = keras.layers.TextVectorization(
        standardize=None, split="whitespace", vocabulary=["[START]", "[END]"] + tokens.vocabulary.words
    )
    length = LENGTHS[unit]["word"]

    def ids_of(text):  # the same ids as `tokens.encode`: [END] where a line ended
        from keras_seq.data.text import normalize

        marked = " [END] ".join(normalize(line, lowercase=False) for line in text.split("\n"))
        return np.asarray(vectorize([marked]))[0].astype(np.int32)

    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(tokens.size, config.embedding_dim, mask_zero=unit == "sentence")(inputs)
    x = keras.layers.LSTM(config.units, return_sequences=True)(x)
    model = keras.Model(inputs, keras.layers.Dense(tokens.size)(x))
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    cut = int(len(train_text) * 0.9)
    if unit == "stream":
        train_ids, val_ids = ids_of(train_text[:cut]), ids_of(train_text[cut:])
        train_data = window_dataset(train_ids, length, config.batch_size, seed=seed)
        val_data = window_dataset(val_ids, length, config.batch_size, shuffle=False, drop_remainder=False)
    else:
        lines = [line for line in train_text.split("\n") if line.strip()]
        rows = [np.append(ids_of(line), 3) for line in lines]
        split = int(len(rows) * 0.9)
        train_data = sentence_dataset(rows[:split], 2, length, config.batch_size, seed=seed)
        val_data = sentence_dataset(rows[split:], 2, length, config.batch_size, False, drop_remainder=False)
    history = model.fit(train_data, validation_data=val_data, epochs=10_000, callbacks=[TimeBudget(budget)], verbose=0)
    return {
        **_peer_scores(model, unit, held_out, ids_of, tokens, length, config.batch_size),
        "params": model.count_params(),
        "epochs": len(history.history["loss"]),
    }


def _peer_scores(model, unit, held_out, ids_of, tokens, length, batch_size):
    if unit == "stream":
        ids = ids_of(held_out)
        data = window_dataset(ids, length, batch_size, shuffle=False, drop_remainder=False)
        loss = float(model.evaluate(data, verbose=0))
        count = ((len(ids) - 1) // length) * length
        total, covered = loss * count, tokens.decode(ids[1 : count + 1])
    else:
        lines = [line for line in held_out.split("\n") if line.strip()]
        total, count = 0.0, 0
        for line in lines:
            row = np.append(ids_of(line), 3)
            logits = np.asarray(model(np.concatenate([[2], row[:-1]])[None].astype(np.int32), training=False))[0]
            logits = logits - logits.max(-1, keepdims=True)
            log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
            total -= float(log_p[np.arange(len(row)), row].sum())
            count += len(row)
        covered = "\n".join(lines) + "\n"
    return {
        "val_loss": round(total / count, 4),
        "per_word_perplexity": round(math.exp(total / count_words(covered)), 3),
        "tokens": count,
        "words": count_words(covered),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", choices=("shakespeare", "multi30k"), default=["shakespeare", "multi30k"])
    parser.add_argument("--budget", type=float, default=900, help="training seconds per model (default 900)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=["char", "word", "subword", "keras"])
    args = parser.parse_args(argv)
    for name in args.data:
        unit, train_text, held_out = load(name)
        results = {model: [] for model in args.models}
        for seed in args.seeds:
            for model in args.models:
                begin = time.perf_counter()
                with tempfile.TemporaryDirectory() as folder:
                    if model == "keras":
                        row = peer(unit, train_text, held_out, args.budget, seed)
                    else:
                        row = ours(model, unit, train_text, held_out, args.budget, seed, folder)
                row["seconds"] = round(time.perf_counter() - begin)
                results[model].append(row)
                print(f"{name} seed {seed} {model}: {row}", flush=True)
        peer_ppl = statistics.median(r["per_word_perplexity"] for r in results["keras"]) if "keras" in results else None
        print(
            f"\n| {name} ({unit}) | per-word perplexity, median of {len(args.seeds)} | vs Keras "
            "| seeds 10% below Keras | params |"
        )
        print("| --- | --- | --- | --- | --- |")
        for model, rows in results.items():
            ppl = statistics.median(r["per_word_perplexity"] for r in rows)
            ratio = f"{ppl / peer_ppl:.3f}x" if peer_ppl else ""
            wins = ""
            if peer_ppl and model != "keras":
                peers = [r["per_word_perplexity"] for r in results["keras"]]
                wins = f"{sum(r['per_word_perplexity'] <= 0.9 * p for r, p in zip(rows, peers))} of {len(rows)}"
            print(f"| {model} | {ppl:.2f} | {ratio} | {wins} | {rows[0]['params']:,} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
