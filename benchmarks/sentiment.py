"""Sentiment accuracy: ours against a plain Keras model of the same size,
same data, same epochs, in one run.

Data: `../shared/data/sentiment-sentences/` (Amazon, IMDB and Yelp review
sentences, 3 x 1,000, labels 0/1), all three files together, split 80/20
into train and test with a seeded shuffle. 10% of the training part is held
out for validation (early stopping, the same for both models); the test part
is touched once, at the end of training.

- ours: `build_sentiment_classifier` with the app's defaults (text
  vectorization inside the model, frozen wordllama word vectors and VADER
  word polarities beside the trainable embedding, our bidirectional GRU,
  attention pooling);
- peer: `TextVectorization(20000, 60) -> Embedding(128) ->
  Bidirectional(keras.layers.LSTM(64)) -> Dropout(0.5) -> Dense(1)`.

    python benchmarks/sentiment.py [--epochs 10] [--seeds 0 1 2]
    python benchmarks/sentiment.py --models ours --set pooling=max units=128   # explore a setting of ours
"""

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from overrides import parse_overrides  # noqa: E402

from keras_seq.applications.sentiment import SentimentClassifier, SentimentConfig, build_sentiment_classifier  # noqa: E402
from keras_seq.applications.sentiment.data import (
    LabelledTexts,
    adapt_vocabulary,
    make_dataset,
    read_table,
    split_validation,
)  # noqa: E402  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data", "sentiment-sentences")


def load(folder):
    parts = [
        read_table(os.path.join(folder, f"{name}_labelled.txt"), label_names=["0", "1"])
        for name in ("amazon_cells", "imdb", "yelp")
    ]
    texts = sum((p.texts for p in parts), [])
    labels = np.concatenate([p.labels for p in parts])
    return LabelledTexts(texts, labels, ["0", "1"], folder)


def plain_keras_model(vocabulary, seed):
    keras.utils.set_random_seed(seed)
    texts = keras.Input((), dtype="string")
    x = keras.layers.TextVectorization(20000, output_sequence_length=60, vocabulary=vocabulary)(texts)
    x = keras.layers.Embedding(len(vocabulary) + 2, 128, mask_zero=True)(x)
    x = keras.layers.Bidirectional(keras.layers.LSTM(64))(x)
    x = keras.layers.Dropout(0.5)(x)
    model = keras.Model(texts, keras.layers.Dense(1, activation="sigmoid")(x))
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model


def test_accuracy(model, data):
    p = model.predict(np.array(data.texts, dtype=object), batch_size=256, verbose=0)[:, 0]
    return float(((p > 0.5).astype(int) == data.labels).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument(
        "--models",
        nargs="+",
        choices=["ours", "keras"],
        default=["ours", "keras"],
        help="train only some (for exploring settings; the recorded run trains both)",
    )
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="FIELD=VALUE",
        help="override fields of ours' SentimentConfig (values read as JSON, else strings), e.g. units=128",
    )
    args = parser.parse_args()

    data = load(args.data)
    overrides = parse_overrides(args.set)
    rows = []
    for seed in args.seeds:
        train_all, test = split_validation(data, 0.2, seed)  # 80/20, seeded
        train, val = split_validation(train_all, 0.1, seed)
        config = SentimentConfig(labels=["0", "1"], seed=seed).replace(**overrides)
        vocabulary = adapt_vocabulary(train.texts, config.max_tokens)  # {word: count}, as `train` does
        peer_vocabulary = list(adapt_vocabulary(train.texts, 20000))
        builders = {
            "ours": lambda: build_sentiment_classifier(config, vocabulary),
            "keras": lambda: plain_keras_model(peer_vocabulary, seed),
        }
        models = {name: builders[name]() for name in args.models}
        row = {"seed": seed, "train": len(train), "validation": len(val), "test": len(test)}
        for name, model in models.items():
            stop = keras.callbacks.EarlyStopping(
                "val_accuracy", patience=args.patience, restore_best_weights=True, mode="max"
            )
            begin = time.perf_counter()
            history = model.fit(
                make_dataset(train, 32, True, seed),
                validation_data=make_dataset(val, 256, False, seed),
                epochs=args.epochs,
                callbacks=[stop],
                verbose=0,
            )
            row[f"{name}_test_accuracy"] = round(test_accuracy(model, test), 4)
            row[f"{name}_epochs"] = len(history.history["loss"])
            row[f"{name}_seconds"] = round(time.perf_counter() - begin, 1)
            row[f"{name}_parameters"] = model.count_params()
            row[f"{name}_trainable_parameters"] = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
        rows.append(row)
        print(
            f"seed {seed}: "
            + ", ".join(
                f"{name} {row[name + '_test_accuracy']:.2%} ({row[name + '_epochs']} epochs)" for name in models
            ),
            flush=True,
        )
        if seed == args.seeds[0] and "ours" in models and config.pooling == "attention":
            clf = SentimentClassifier(models["ours"])
            for tokens, weights in clf.explain(
                ["The food was not good, but the staff was lovely.", "Not worth the money."]
            ):
                print("   ", " ".join(f"{t}:{w:.2f}" for t, w in zip(tokens, weights)))
    summary = {"ours_overrides": overrides}
    for name in args.models:
        summary[f"{name}_median_test_accuracy"] = statistics.median(r[f"{name}_test_accuracy"] for r in rows)
    if len(args.models) == 2:
        summary["ours_never_below_keras"] = all(r["ours_test_accuracy"] >= r["keras_test_accuracy"] for r in rows)
    summary["rows"] = rows
    print(
        "median test accuracy: "
        + ", ".join(f"{name} {summary[name + '_median_test_accuracy']:.2%}" for name in args.models)
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
