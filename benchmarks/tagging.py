"""Entity F1 of the tagger: ours (BiLSTM-CRF with character and case
features), ours with a softmax head, and the plain Keras tagger a user
writes from the keras.io examples, the same data and wall-clock budget, in
one run.

Data: `../shared/data/tagging/<name>/` (`wnut17`: `train.conll.gz`,
`dev.conll.gz`, `test.conll.gz`; `wikiann-en`: `*.tsv.gz`; `ud-ewt`:
`dev.conllu.gz` and `test.conllu.gz`, parts of speech, trained on the dev
file less a seeded tenth), read by the tagger's own reader. The score is
the entity F1 for chunk tags and the token accuracy for other tags. The dev file is the validation set: every model
stops early on its validation entity F1 (`EntityF1`, logged in the graph;
`--patience` epochs without a gain) and keeps its best epoch. The test
file is touched once, at the end.

- ours: `build_tagger` with the app's defaults (`--set FIELD=VALUE` to
  explore);
- softmax: the same with `head="softmax"`;
- keras: word ids (the same vocabulary) -> `Embedding(100, mask_zero)` ->
  `Bidirectional(keras.layers.LSTM(100, return_sequences=True))` ->
  `Dense(K, softmax)`, trained on the real tokens only.

    python benchmarks/tagging.py --data wnut17 [--budget 1800] [--seeds 0 1 2]
    python benchmarks/tagging.py --data wikiann-en --models ours --budget 300 --set units=200
    python benchmarks/tagging.py --data ud-ewt --budget 600
"""

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
from overrides import parse_overrides  # noqa: E402

from keras_seq.applications.tag import Tagger, TaggerConfig, TaggerPreprocessor, build_tagger, entity_scores  # noqa: E402
from keras_seq.applications.tag.data import read_source  # noqa: E402
from keras_seq.data import seeded_split  # noqa: E402
from keras_seq.training import BestWeights, EntityF1, TimeBudget  # noqa: E402
from keras_seq.training.entity_scores import token_accuracy  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "tagging")


def load(name, seed=0):
    """`{"train", "dev", "test"}` of a folder. Without a train file (UD
    English-EWT here: dev and test only), the models train on the dev file
    less a seeded tenth, which validates."""
    folder = name if os.path.isdir(name) else os.path.join(DATA, name)
    files = {f.split(".")[0]: os.path.join(folder, f) for f in os.listdir(folder)}
    data = {split: read_source(files[split]) for split in files if split in ("train", "dev", "test")}
    if "train" not in data:
        kept, held_out = seeded_split(len(data["dev"].sentences), 0.1, seed, "dev")
        data["train"], data["dev"] = data["dev"].subset(kept), data["dev"].subset(held_out)
    return data


def fit(model, train, validation, budget, patience, monitor):
    """Train until the budget is spent (or the patience runs out); the best
    epoch's weights by `monitor` (every model logs it: `val_entity_f1` for
    entities, `val_accuracy` for parts of speech). Returns `(seconds, epochs)`."""
    begin = time.perf_counter()
    callbacks = [TimeBudget(budget), BestWeights(monitor, mode="max", patience=patience)]
    history = model.fit(train, validation_data=validation, epochs=10_000, callbacks=callbacks, verbose=0)
    return time.perf_counter() - begin, len(history.history["loss"])


def keras_peer(num_words, tags, scheme, seed):
    keras.utils.set_random_seed(seed)
    ids = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(num_words, 100, mask_zero=True)(ids)
    x = keras.layers.Bidirectional(keras.layers.LSTM(100, return_sequences=True))(x)
    model = keras.Model(ids, keras.layers.Dense(len(tags), activation="softmax")(x))
    metrics = ["accuracy"] + ([EntityF1(tags)] if scheme else [])
    model.compile("adam", "sparse_categorical_crossentropy", weighted_metrics=metrics)
    return model


def words_only(dataset):
    """The tagger's pipeline for the peer: word ids, tags, and the real tokens' weights."""
    import tensorflow as tf

    return dataset.map(lambda inputs, tags, *rest: (inputs[0], tags, tf.cast(inputs[0] != 0, "float32")))


def peer_tags(model, prepared, sentences):
    """The peer's tag names per sentence, by argmax over the same word ids."""
    words = TaggerPreprocessor(prepared.config, prepared.assets["words"], prepared.assets["chars"])
    word_ids, _, _ = words.encode_sentences(sentences)
    ids = model.predict(word_ids, batch_size=256, verbose=0).argmax(-1)
    return [[prepared.config.tags[t] for t in row[: len(s)]] for row, s in zip(ids, sentences)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="wnut17", help="a folder of ../shared/data/tagging, or a folder's path")
    parser.add_argument("--budget", type=float, default=1800.0, help="training seconds per model")
    parser.add_argument("--patience", type=int, default=8)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument(
        "--models", nargs="+", choices=["ours", "softmax", "keras"], default=["ours", "softmax", "keras"]
    )
    parser.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE", help="override fields of ours' config")
    args = parser.parse_args()

    data = load(args.data)
    score = "F1" if Tagger.prepare(TaggerConfig(), data["dev"], data["dev"]).config.scheme else "accuracy"
    overrides = parse_overrides(args.set)
    rows = []
    for seed in args.seeds:
        row = {"seed": seed}
        for name in args.models:
            config = TaggerConfig(seed=seed).replace(**overrides)
            if name != "ours":
                config = config.replace(head="softmax")
            prepared = Tagger.prepare(config, data["train"], data["dev"])
            if name == "keras":  # the peer alone is built: our network would only cost time and memory
                model = keras_peer(len(prepared.assets["words"]), prepared.config.tags, prepared.config.scheme, seed)
                train, validation = words_only(prepared.train), words_only(prepared.validation)
            else:
                model = build_tagger(prepared.config, **prepared.assets)
                train, validation = prepared.train, prepared.validation
            monitor = "val_entity_f1" if prepared.config.scheme else "val_accuracy"
            seconds, epochs = fit(model, train, validation, args.budget, args.patience, monitor)
            tokens = sum(len(s) for s in data["train"].sentences) * epochs
            begin = time.perf_counter()
            test = data["test"].sentences
            predicted = peer_tags(model, prepared, test) if name == "keras" else Tagger(model).predict_tags(test)
            tag_seconds = time.perf_counter() - begin
            if prepared.config.scheme:
                scores = entity_scores(data["test"].tags, predicted, prepared.config.scheme)
            else:  # parts of speech: the score is the token accuracy
                scores = dict.fromkeys(("precision", "recall"), None)
                scores["f1"] = token_accuracy(data["test"].tags, predicted)["accuracy"]
            row[name] = {
                "f1": scores["f1"],
                "precision": scores["precision"],
                "recall": scores["recall"],
                "epochs": epochs,
                "train_tokens_per_s": round(tokens / seconds),
                "tag_tokens_per_s": round(sum(len(s) for s in data["test"].sentences) / tag_seconds),
                "parameters": model.count_params(),
            }
            took = f"{epochs} epochs in {seconds:.0f} s"
            print(f"seed {seed} {name}: test {score} {scores['f1']:.2f} ({took})", flush=True)
        rows.append(row)
    summary = {"data": args.data, "budget_s": args.budget, "ours_overrides": overrides}
    for name in args.models:
        summary[f"{name}_median_f1"] = statistics.median(r[name]["f1"] for r in rows)
    if "ours" in args.models and "keras" in args.models:
        gaps = [r["ours"]["f1"] - r["keras"]["f1"] for r in rows]
        summary["ours_minus_keras_f1"] = gaps
        summary["seeds_ours_3_points_above_keras"] = sum(gap >= 3 for gap in gaps)
    summary["rows"] = rows
    print(f"median test {score}: " + ", ".join(f"{name} {summary[name + '_median_f1']:.2f}" for name in args.models))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
