"""What quantizing the LiteRT models costs on the tagger, the forecaster and
the NTM: each application is trained once (its defaults, `--train` seconds
of its benchmark data; the NTM `--ntm-train`), then scored on held-out data by the Keras model and
by its LiteRT models with float32, float16 and int8 (`dynamic`) weights, in
the same run, one example per interpreter call.

- tag: WikiANN English (`../shared/data/tagging/wikiann-en`, the train
  file, its dev file validating), entity F1 on the first `--examples` test
  sentences, each cut to the model's `max_length`; and how many sentences
  get the same tags as the Keras model.
- forecast: ETTh2 (`../shared/data/forecasting/ETTh2.csv.gz`) on the
  standard protocol (`protocol="ett"`) at horizon 96, MSE on the
  standardized scale over every `--stride`-th test window; and the largest
  difference from the Keras model's forecast.
- ntm: the copy task at its trained length, bit errors per sequence over
  `--examples` test sequences; and the share of bits that differ from the
  Keras model's.

Every quantized model runs only built-in ops (the export refuses others).

    python benchmarks/litert_quantization.py [--apps tag forecast ntm] [--train 240] [--ntm-train 600]
"""

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")
QUIET = {"verbose": 0, "print_fn": lambda *a: None}
QUANTIZATIONS = ("none", "float16", "dynamic")


def _runners(task, folder):
    """`{quantization: (signature runner, file bytes)}` of `task`'s LiteRT exports."""
    from ai_edge_litert.interpreter import Interpreter

    runners = {}
    for quantize in QUANTIZATIONS:
        out = os.path.join(folder, f"litert-{quantize}")
        task.export(out, format="litert", quantize=quantize)
        path = os.path.join(out, "model.tflite")
        runners[quantize] = (Interpreter(model_path=path, num_threads=1).get_signature_runner(), os.path.getsize(path))
    return runners


def tag_rows(args, folder):
    """Entity F1 of the Keras tagger and of its LiteRT models on WikiANN's test sentences."""
    sys.path.insert(0, HERE)
    from tagging import fit, load

    from keras_seq.applications.tag import Tagger, TaggerConfig, build_tagger, entity_scores

    data = load("wikiann-en")
    prepared = Tagger.prepare(TaggerConfig(), data["train"], data["dev"])
    config = prepared.config
    tagger = Tagger(build_tagger(config, **prepared.assets))
    seconds, epochs = fit(tagger.model, prepared.train, prepared.validation, args.train, 8, "val_entity_f1")
    t, w = config.max_length, config.max_word_length
    sentences = [s[:t] for s in data["test"].sentences[: args.examples]]
    gold = [g[:t] for g in data["test"].tags[: args.examples]]
    print(f"tag: {config.cell} tagger trained {seconds:.0f} s ({epochs} epochs) on wikiann-en; {len(sentences)} test")
    expected = tagger.predict_tags(sentences)
    rows = [("Keras model", None, entity_scores(gold, expected, config.scheme)["f1"], None)]
    word_ids, char_ids, case_ids = tagger.preprocessor.encode_sentences(sentences)

    def pad(a, shape):
        out = np.zeros(shape, np.int32)
        out[tuple(slice(0, min(n, m)) for n, m in zip(a.shape, shape))] = a[tuple(slice(0, m) for m in shape)]
        return out

    for quantize, (run, size) in _runners(tagger, folder).items():
        predicted = []
        for i, words in enumerate(sentences):
            ids = run(
                word_ids=pad(word_ids[i], (t,))[None],
                char_ids=pad(char_ids[i], (t, w))[None],
                case_ids=pad(case_ids[i], (t,))[None],
            )["tag_ids"][0]
            predicted.append([config.tags[k] for k in ids[: len(words)]])
        same = np.mean([p == e for p, e in zip(predicted, expected)])
        rows.append((f"LiteRT ({quantize})", size, entity_scores(gold, predicted, config.scheme)["f1"], same))
    return rows, "entity F1", "sentences tagged as Keras"


def forecast_rows(args, folder):
    """Test MSE of the Keras forecaster and of its LiteRT models on ETTh2 at horizon 96."""
    from keras_seq.applications import training
    from keras_seq.applications.forecast import Forecaster, ForecasterConfig, build_forecaster
    from keras_seq.training import BestWeights, TimeBudget
    from keras_seq.training.forecast_scores import mse

    data = os.path.join(DATA, "forecasting", "ETTh2.csv.gz")
    prepared = training.prepare(Forecaster, ForecasterConfig(horizon=96, protocol="ett"), data)
    config = prepared.config
    forecaster = Forecaster(build_forecaster(config, **prepared.assets))
    callbacks = [TimeBudget(args.train), BestWeights(config.monitor, mode="min", patience=8)]
    begin = time.perf_counter()
    forecaster.model.fit(
        prepared.train, validation_data=prepared.validation, epochs=10_000, callbacks=callbacks, verbose=0
    )
    history, truth, *_ = forecaster.evaluation_examples(data, "test").windows(config.lookback, config.horizon)
    history, truth = history[:: args.stride].astype("float32"), truth[:: args.stride]
    print(f"forecast: {config.cell} trained {time.perf_counter() - begin:.0f} s on ETTh2; {len(history)} test windows")
    scaled = forecaster.scale_targets(truth)  # (N, H, C)
    expected = forecaster.forecast(history)  # (N, H, C), raw values
    rows = [("Keras model", None, mse(scaled, forecaster.scale_targets(expected)), None)]
    for quantize, (run, size) in _runners(forecaster, folder).items():
        got = np.stack([run(history=window[None])["forecast"][0] for window in history])
        difference = float(np.max(np.abs(forecaster.scale_targets(got) - forecaster.scale_targets(expected))))
        rows.append((f"LiteRT ({quantize})", size, mse(scaled, forecaster.scale_targets(got)), difference))
    return rows, "test MSE", "largest difference from Keras (standardized)"


def ntm_rows(args, folder):
    """Bit errors of the Keras NTM (copy) and of its LiteRT models at the trained length."""
    from keras_seq.applications.ntm import NTMTaskConfig, train
    from keras_seq.applications.ntm.data import bit_errors_per_sequence, generate
    from keras_seq.applications.ntm.litert import litert_steps

    config = NTMTaskConfig(task="copy", epochs=10_000)
    task, history = train(config, model_dir=os.path.join(folder, "ntm"), time_budget=args.ntm_train, **QUIET)
    steps = litert_steps(task.config)
    rng = np.random.default_rng(12345)  # sequences training never drew
    inputs, targets, weights = generate("copy", rng, args.examples, task.config.size)
    inputs = np.pad(inputs, ((0, 0), (0, steps - inputs.shape[1]), (0, 0))).astype("float32")
    targets = np.pad(targets, ((0, 0), (0, steps - targets.shape[1]), (0, 0)))
    weights = np.pad(weights, ((0, 0), (0, steps - weights.shape[1])))
    print(f"ntm: copy trained {history.seconds:.0f} s; {len(inputs)} sequences of {task.config.size} bit vectors")
    expected = np.asarray(task.model.predict(inputs, batch_size=32, verbose=0))  # (N, T, 8) logits
    rows = [("Keras model", None, bit_errors_per_sequence(expected, targets, weights), None)]
    for quantize, (run, size) in _runners(task, folder).items():
        p = np.clip(np.concatenate([run(bits=x[None])["probabilities"] for x in inputs]), 1e-7, 1 - 1e-7)
        logits = np.log(p) - np.log1p(-p)
        differ = float(np.mean(((logits > 0) != (expected > 0))[weights > 0]))
        rows.append((f"LiteRT ({quantize})", size, bit_errors_per_sequence(logits, targets, weights), differ))
    return rows, "bit errors per sequence", "answer bits that differ from Keras"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", nargs="+", choices=("tag", "forecast", "ntm"), default=["tag", "forecast", "ntm"])
    parser.add_argument("--train", type=float, default=240, help="seconds of training per application (default 240)")
    parser.add_argument("--ntm-train", type=float, default=600, help="seconds of training of the NTM (default 600)")
    parser.add_argument("--examples", type=int, default=500, help="test sentences or sequences (default 500)")
    parser.add_argument("--stride", type=int, default=4, help="every stride-th ETTh2 test window (default 4)")
    args = parser.parse_args(argv)
    makers = {"tag": tag_rows, "forecast": forecast_rows, "ntm": ntm_rows}
    for app in args.apps:
        with tempfile.TemporaryDirectory() as folder:
            rows, score, agreement = makers[app](args, folder)
        float_size = rows[1][1]
        print(f"\n| {app} | file | {score} | {agreement} |\n| --- | --- | --- | --- |")
        for name, size, value, same in rows:
            file = "" if size is None else f"{size / 1024:,.0f} KiB ({size / float_size:.2f}x float32)"
            print(f"| {name} | {file} | {value:.4g} | {'' if same is None else f'{same:.4f}'} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
