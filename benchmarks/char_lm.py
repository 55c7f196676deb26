"""Char LM quality and speed: ours against a plain Keras model of the same
size, same data, same recipe and the same wall-clock budget, in one run.

Data: `../shared/data/tinyshakespeare.txt`, first 90% for training, last 10%
for validation (by position). Both models are `Embedding -> LSTM -> Dense`
with the same sizes; ours uses `keras_seq.layers.LSTM` (via
`build_char_lm`), the peer `keras.layers.LSTM`. Same optimizer (Adam with
global-norm clipping), same learning-rate schedule (cosine decay over the
budget, by each model's own elapsed training time), same batches.

Training alternates between the two models in chunks of `--chunk` seconds
(`train_on_batch`, the compiled train step), so that the noise of this
machine falls on both alike; each model trains for `--budget` seconds of
its own time. Then both are evaluated on every validation window.

Generation: chars/s of `CharLM.generate` (one prompt, and 64 prompts at
once) against the per-character loop that calls `model.predict` once per
character on a step model `(char, h, c) -> (logits, h, c)`.

    python benchmarks/char_lm.py --budget 600          # the recorded run
    python benchmarks/char_lm.py --budget 60 --units 128   # a quick look
"""

import argparse
import json
import math
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_seq.applications.char_lm import CharLM, CharLMConfig, build_char_lm  # noqa: E402
from keras_seq.data.char_vocabulary import CharVocabulary  # noqa: E402
from keras_seq.training import BitsPerChar  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data", "tinyshakespeare.txt")


def plain_keras_model(config):
    """The peer: the same model with `keras.layers.LSTM`."""
    keras.utils.set_random_seed(config.seed)
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(config.vocab_size, config.embedding_dim)(inputs)
    for _ in range(config.layers):
        x = keras.layers.LSTM(config.units, return_sequences=True, dropout=config.dropout)(x)
    if config.dropout:
        x = keras.layers.Dropout(config.dropout)(x)
    logits = keras.layers.Dense(config.vocab_size)(x)
    model = keras.Model(inputs, logits)
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.clipnorm or None),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[BitsPerChar()],
    )
    return model


class Trainer:
    """Trains one model step by step on reshuffled windows, keeping its own clock."""

    def __init__(self, model, x, y, config, budget, seed):
        self.model, self.x, self.y, self.config, self.budget = model, x, y, config, budget
        self.rng = np.random.default_rng(seed)
        self.order, self.cursor = self.rng.permutation(len(x)), 0
        self.seconds, self.steps = 0.0, 0

    def learning_rate(self):
        progress = min(self.seconds / self.budget, 1.0)
        return self.config.learning_rate * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))

    def run(self, seconds):
        batch = self.config.batch_size
        stop = min(self.seconds + seconds, self.budget)
        while self.seconds < stop:
            if self.cursor + batch > len(self.order):
                self.order, self.cursor = self.rng.permutation(len(self.x)), 0
            rows = self.order[self.cursor : self.cursor + batch]
            self.cursor += batch
            self.model.optimizer.learning_rate.assign(self.learning_rate())
            begin = time.perf_counter()
            loss = self.model.train_on_batch(self.x[rows], self.y[rows])
            self.seconds += time.perf_counter() - begin
            self.steps += 1
        return loss

    @property
    def done(self):
        return self.seconds >= self.budget


def windows(ids, length):
    count = (len(ids) - 1) // length
    x = ids[: count * length].reshape(count, length)
    y = ids[1 : count * length + 1].reshape(count, length)
    return x, y


def predict_loop_chars_per_s(model, config, batch, length):
    """The per-character `model.predict` loop on a step model of `model`'s weights."""
    token = keras.Input((1,), dtype="int32")
    h_in, c_in = keras.Input((config.units,)), keras.Input((config.units,))
    embedding, lstm, dense = (layer for layer in model.layers if layer.weights)
    step_lstm = keras.layers.LSTM(config.units, return_state=True)
    x, h, c = step_lstm(embedding(token), initial_state=[h_in, c_in])
    step_model = keras.Model([token, h_in, c_in], [dense(x), h, c])
    step_lstm.set_weights(lstm.get_weights())
    h = np.zeros((batch, config.units), "float32")
    c = np.zeros((batch, config.units), "float32")
    tokens = np.ones((batch, 1), "int32")
    step_model.predict([tokens, h, c], verbose=0)  # warm up
    begin = time.perf_counter()
    for _ in range(length):
        logits, h, c = step_model.predict([tokens, h, c], verbose=0)
        tokens = np.argmax(logits, -1).astype("int32")[:, None]
    return batch * length / (time.perf_counter() - begin)


def generation_chars_per_s(lm, batch, length):
    prompts = ["ROMEO:\n"] * batch
    lm.generate(prompts, 10, temperature=0.8, seed=0)  # trace
    best = float("inf")
    for _ in range(3):
        begin = time.perf_counter()
        lm.generate(prompts, length, temperature=0.8, seed=0)
        best = min(best, time.perf_counter() - begin)
    return batch * length / best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--budget", type=float, default=600.0, help="training seconds per model")
    parser.add_argument("--chunk", type=float, default=30.0, help="seconds per turn")
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--learning-rate", type=float, default=4e-3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--sequence-length", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-peer", action="store_true", help="train ours only (pilot runs)")
    args = parser.parse_args()

    with open(args.data, encoding="utf-8") as f:
        text = f.read()
    cut = int(len(text) * 0.9)
    vocabulary = CharVocabulary.from_text(text[:cut])
    train_ids, val_ids = vocabulary.encode(text[:cut]), vocabulary.encode(text[cut:])
    config = CharLMConfig(
        vocab_size=vocabulary.size,
        units=args.units,
        layers=args.layers,
        dropout=args.dropout,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        sequence_length=args.sequence_length,
        seed=args.seed,
    )
    x, y = windows(train_ids, config.sequence_length)
    vx, vy = windows(val_ids, config.sequence_length)
    models = {"ours": build_char_lm(config, vocabulary)}
    if not args.skip_peer:
        models["keras"] = plain_keras_model(config)
    params = models["ours"].count_params()
    print(
        f"{len(text[:cut]):,} training / {len(text[cut:]):,} validation characters, vocabulary {vocabulary.size}; "
        f"{params:,} parameters each; budget {args.budget:.0f} s per model",
        flush=True,
    )
    trainers = {name: Trainer(m, x, y, config, args.budget, args.seed) for name, m in models.items()}
    while not all(t.done for t in trainers.values()):
        for name, trainer in trainers.items():
            if not trainer.done:
                loss = trainer.run(args.chunk)
                print(
                    f"  {name:>5}: {trainer.seconds:6.0f} s, {trainer.steps:6d} steps, train loss "
                    f"{float(np.ravel(loss)[0]):.3f}",
                    flush=True,
                )

    results = {"budget_s": args.budget, "parameters": params, "units": args.units, "layers": args.layers}
    for name, model in models.items():
        trainer = trainers[name]
        val_loss = float(model.evaluate(vx, vy, batch_size=256, verbose=0)[0])
        results[f"{name}_val_nats_per_char"] = round(val_loss, 4)
        results[f"{name}_train_chars_per_s"] = round(
            trainer.steps * config.batch_size * config.sequence_length / trainer.seconds
        )
        results[f"{name}_steps"] = trainer.steps
        print(
            f"{name:>5}: validation {val_loss:.4f} nats/char, {results[f'{name}_train_chars_per_s']:,} training "
            f"chars/s, {trainer.steps} steps"
        )

    lm = CharLM(models["ours"])
    results["ours_generate_chars_per_s_1"] = round(generation_chars_per_s(lm, 1, 2000))
    results["ours_generate_chars_per_s_64"] = round(generation_chars_per_s(lm, 64, 500))
    peer_model = models.get("keras", models["ours"])
    if "keras" in models:
        results["predict_loop_chars_per_s_1"] = round(predict_loop_chars_per_s(peer_model, config, 1, 100), 1)
        results["predict_loop_chars_per_s_64"] = round(predict_loop_chars_per_s(peer_model, config, 64, 50), 1)
        results["generate_speedup_1"] = round(
            results["ours_generate_chars_per_s_1"] / results["predict_loop_chars_per_s_1"], 1
        )
        results["generate_speedup_64"] = round(
            results["ours_generate_chars_per_s_64"] / results["predict_loop_chars_per_s_64"], 1
        )
    print(
        f"generation: ours {results['ours_generate_chars_per_s_1']:,} chars/s (1 prompt), "
        f"{results['ours_generate_chars_per_s_64']:,} chars/s (64 prompts)"
    )
    if "keras" in models:
        print(
            f"            predict loop {results['predict_loop_chars_per_s_1']} / "
            f"{results['predict_loop_chars_per_s_64']} chars/s; "
            f"speed-up {results['generate_speedup_1']}x / {results['generate_speedup_64']}x"
        )
        print(
            f"validation: ours {results['ours_val_nats_per_char']} vs Keras {results['keras_val_nats_per_char']} "
            "nats/char; "
            f"training speed ratio {results['ours_train_chars_per_s'] / results['keras_train_chars_per_s']:.2f}"
        )
    sample = lm.generate("ROMEO:\n", 300, temperature=0.8, seed=1)
    print(f"sample:\nROMEO:\n{sample}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
