"""`keras-seq sentiment <action>`: train, evaluate, predict, export, tune."""

import json
import os
import sys
import warnings

from keras_seq import cli_args


def add_parser(commands, name):
    app = commands.add_parser(name, help="sentiment classifier: raw text in, label out; attention you can look at",
                              description="Text classifier (TextVectorization -> Embedding -> our BiLSTM/BiGRU -> pooling -> Dense).")
    actions = app.add_subparsers(dest="action", metavar="<action>", required=True)

    train = actions.add_parser("train", help="train on --data and save to --model-dir")
    _data_flags(train)
    cli_args.add_training(train, epochs=10, batch_size=32)
    train.add_argument("--cell", choices=["lstm", "gru"], default="gru", help="(default: %(default)s)")
    train.add_argument("--units", type=cli_args.positive_int, default=64, help="per direction (default: %(default)s)")
    train.add_argument("--layers", type=cli_args.positive_int, default=1, help="(default: %(default)s)")
    train.add_argument("--unidirectional", action="store_true", help="no Bidirectional wrapper")
    train.add_argument("--pooling", choices=["attention", "last", "mean", "max"], default="attention", help="(default: %(default)s)")
    train.add_argument("--dropout", type=cli_args.non_negative_float, default=0.5, help="(default: %(default)s)")
    train.add_argument("--lexicon", default="vader",
                       help="word polarities as a frozen extra feature: 'vader' (from the vaderSentiment package), "
                            "a word<TAB>score file, or 'none' (default: %(default)s)")
    train.add_argument("--word-vectors", default="wordllama",
                       help="pretrained word vectors as frozen extra features: 'wordllama' (from the wordllama package), "
                            "a GloVe-style 'word v1 ... vD' text file, or 'none' (default: %(default)s)")
    train.add_argument("--max-tokens", type=cli_args.positive_int, default=20000, help="(default: %(default)s)")
    train.add_argument("--min-count", type=cli_args.positive_int, default=2,
                       help="words seen fewer times in training get no trainable embedding (default: %(default)s)")
    train.add_argument("--sequence-length", type=cli_args.positive_int, default=60, help="tokens read per text (default: %(default)s)")
    train.add_argument("--learning-rate", type=cli_args.positive_float, default=1e-3, help="(default: %(default)s)")
    train.add_argument("--patience", type=cli_args.non_negative_int, default=3,
                       help="early stopping on validation accuracy; 0 disables (default: %(default)s)")
    train.set_defaults(run=run_train)

    evaluate = actions.add_parser("evaluate", help="accuracy, macro F1, confusion matrix; JSON last line")
    _data_flags(evaluate)
    evaluate.add_argument("--split", default="validation", help="validation (default), all, or a tfds split such as test")
    evaluate.set_defaults(run=run_evaluate)

    predict = actions.add_parser("predict", help="classify texts given on the command line or in --input")
    cli_args.add_model_dir(predict, "sentiment")
    predict.add_argument("texts", nargs="*", help="texts to classify")
    predict.add_argument("--input", help="a file with one text a line")
    predict.add_argument("--explain", metavar="FILE", help="write the attention weights as FILE.html or FILE.png")
    predict.set_defaults(run=run_predict)

    export = actions.add_parser("export", help="write a SavedModel with a classify signature")
    cli_args.add_model_dir(export, "sentiment")
    export.add_argument("--export-dir", default=None, help="default: MODEL_DIR/export")
    export.set_defaults(run=run_export)

    tune = actions.add_parser("tune", help="keras-tuner search over cell, units, pooling, dropout, learning rate")
    _data_flags(tune)
    cli_args.add_training(tune, epochs=4, batch_size=32)
    tune.add_argument("--max-trials", type=cli_args.positive_int, default=6, help="(default: %(default)s)")
    tune.set_defaults(run=run_tune)


def _data_flags(parser):
    cli_args.add_data(parser, "a CSV/TSV file (text and label columns) or a folder with one sub-folder per class")
    cli_args.add_model_dir(parser, "sentiment")
    cli_args.add_validation_split(parser, 0.2)
    parser.add_argument("--text-column", default=None, help="name or 0-based position (default: text/sentence/review..., else the first)")
    parser.add_argument("--label-column", default=None, help="name or 0-based position (default: label/sentiment/class..., else the last)")
    parser.add_argument("--labels", default=None, help="comma-separated label set; other labels are an error")


def _columns(args):
    labels = args.labels.split(",") if args.labels else None
    return {"text_column": args.text_column, "label_column": args.label_column, "label_names": labels}


def run_train(args):
    from keras_seq.applications.sentiment.config import SentimentConfig
    from keras_seq.applications.sentiment.train import train

    config = SentimentConfig(
        cell=args.cell, units=args.units, layers=args.layers, bidirectional=not args.unidirectional,
        pooling=args.pooling, dropout=args.dropout, max_tokens=args.max_tokens, min_count=args.min_count, sequence_length=args.sequence_length,
        learning_rate=args.learning_rate, batch_size=args.batch_size, seed=args.seed,
        lexicon=None if args.lexicon == "none" else args.lexicon,
        word_vectors=None if args.word_vectors == "none" else args.word_vectors,
    )
    classifier, history = train(
        config, data=args.data, model_dir=args.model_dir, epochs=args.epochs, time_budget=args.time_budget,
        validation_split=args.validation_split, patience=args.patience, verbose=0 if args.quiet else 1, **_columns(args),
    )
    best = max(history.history.get("val_accuracy", [0.0]))
    print(f"Saved to {args.model_dir} after {history.seconds:.0f} s.")
    print(json.dumps({"val_accuracy": round(float(best), 4), "epochs": len(history.history["loss"]),
                      "train_seconds": round(history.seconds, 1)}))


def run_evaluate(args):
    from keras_seq.applications.sentiment.classifier import SentimentClassifier
    from keras_seq.applications.sentiment.data import read_source, split_validation
    from keras_seq.errors import UserInputError

    classifier = SentimentClassifier.load(args.model_dir)
    columns = {**_columns(args), "label_names": classifier.config.labels}
    if args.split in ("validation", "all"):
        data = read_source(args.data, "train", **columns)
        if args.split == "validation":
            data = split_validation(data, args.validation_split, classifier.config.seed)[1]
    elif args.data.startswith("tfds:"):
        data = read_source(args.data, args.split, **columns)
    else:
        raise UserInputError(f"--split {args.split!r} needs a tfds: source; use validation or all")
    metrics = classifier.evaluate(data)
    print(f"{data.description}, split {args.split}: accuracy {metrics['accuracy']:.2%}, macro F1 {metrics['macro_f1']:.4f} on {metrics['count']} texts")
    print(f"confusion matrix (rows: true {metrics['labels']}): {metrics['confusion_matrix']}")
    print(json.dumps(metrics))


def run_predict(args):
    from keras_seq.applications.sentiment.classifier import SentimentClassifier

    texts = cli_args.read_inputs(args.texts, args.input, "text")
    classifier = SentimentClassifier.load(args.model_dir)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        labels, probabilities = classifier.classify(texts)
    for warning in caught:
        print(f"keras-seq: warning: {warning.message}", file=sys.stderr)
    for text, label, p in zip(texts, labels, probabilities):
        print(json.dumps({"text": text, "label": label, "probabilities": {n: round(float(x), 4) for n, x in zip(classifier.config.labels, p)}}))
    if args.explain:
        if args.explain.endswith(".png"):
            classifier.explanation_png(texts, args.explain)
        else:
            path = args.explain if args.explain.endswith(".html") else args.explain + ".html"
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(classifier.explanation_html(texts))
            os.replace(tmp, path)
        print(f"attention weights written to {args.explain}", file=sys.stderr)


def run_export(args):
    from keras_seq.applications.sentiment.classifier import SentimentClassifier

    classifier = SentimentClassifier.load(args.model_dir)
    export_dir = args.export_dir or os.path.join(args.model_dir, "export")
    classifier.export(export_dir)
    print(f"SavedModel written to {export_dir}; signature: classify(texts) -> labels, probabilities")


def run_tune(args):
    import keras_tuner

    from keras_seq.applications.sentiment.config import SentimentConfig
    from keras_seq.applications.sentiment.data import load_splits
    from keras_seq.applications.sentiment.model import SentimentHyperModel
    from keras_seq.applications.sentiment.train import adapt_vocabulary, make_dataset
    from keras_seq.training import TimeBudget

    train_data, val_data = load_splits(args.data, args.validation_split, args.seed, **_columns(args))
    base = SentimentConfig(labels=list(train_data.label_names), batch_size=args.batch_size, seed=args.seed)
    vocabulary = adapt_vocabulary(train_data.texts, base.max_tokens)
    tuner = keras_tuner.RandomSearch(
        SentimentHyperModel(base, vocabulary), objective="val_accuracy", max_trials=args.max_trials, seed=args.seed,
        directory=os.path.join(args.model_dir, "tuning"), project_name="sentiment", overwrite=False,
    )
    callbacks = [TimeBudget(args.time_budget)] if args.time_budget else []
    tuner.search(make_dataset(train_data, base.batch_size, True, args.seed), validation_data=make_dataset(val_data, 256, False, args.seed),
                 epochs=args.epochs, callbacks=callbacks, verbose=0 if args.quiet else 1)
    print(json.dumps({"best_hyperparameters": tuner.get_best_hyperparameters(1)[0].values}))
