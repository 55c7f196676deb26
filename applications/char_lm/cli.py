"""`keras-seq char-lm <action>`: train, evaluate, generate, export, tune."""

import json
import os
import sys

from keras_seq import cli_args


def add_parser(commands, name):
    app = commands.add_parser(name, help="next-character language model: train on any text, generate, export",
                              description="Next-character language model (Embedding -> our recurrent layers -> Dense).")
    actions = app.add_subparsers(dest="action", metavar="<action>", required=True)

    train = actions.add_parser("train", help="train on --data and save to --model-dir")
    _data_flags(train)
    cli_args.add_training(train, epochs=20, batch_size=64)
    train.add_argument("--cell", choices=["lstm", "gru", "simple_rnn"], default="lstm", help="(default: %(default)s)")
    train.add_argument("--units", type=cli_args.positive_int, default=256, help="(default: %(default)s)")
    train.add_argument("--layers", type=cli_args.positive_int, default=1, help="(default: %(default)s)")
    train.add_argument("--embedding-dim", type=cli_args.positive_int, default=64, help="(default: %(default)s)")
    train.add_argument("--dropout", type=cli_args.non_negative_float, default=0.0, help="(default: %(default)s)")
    train.add_argument("--sequence-length", type=cli_args.positive_int, default=100, help="(default: %(default)s)")
    train.add_argument("--learning-rate", type=cli_args.positive_float, default=2e-3, help="(default: %(default)s)")
    train.add_argument("--clipnorm", type=cli_args.non_negative_float, default=1.0,
                       help="clip gradients by this global norm; 0 disables (default: %(default)s)")
    train.add_argument("--tbptt", action="store_true",
                       help="stateful truncated backpropagation through time (state carried across windows)")
    train.set_defaults(run=run_train)

    evaluate = actions.add_parser("evaluate", help="loss (nats/char), bits/char, perplexity; JSON last line")
    _data_flags(evaluate)
    evaluate.add_argument("--split", default="validation",
                          help="validation (default), all, or a tfds split name such as test")
    evaluate.set_defaults(run=run_evaluate)

    generate = actions.add_parser("generate", help="stream generated text after a prompt")
    cli_args.add_model_dir(generate, "char_lm")
    generate.add_argument("--prompt", default="", help="text to continue (default: empty: start of a line)")
    generate.add_argument("--length", type=int, default=500, help="characters to generate (default: %(default)s)")
    generate.add_argument("--temperature", type=float, default=0.8, help="> 0 (default: %(default)s)")
    generate.add_argument("--top-k", type=int, default=0, help="0 disables (default: %(default)s)")
    generate.add_argument("--top-p", type=float, default=1.0, help="in (0, 1]; 1 disables (default: %(default)s)")
    generate.add_argument("--seed", type=int, default=None, help="for reproducible output")
    generate.set_defaults(run=run_generate)

    export = actions.add_parser("export", help="write a SavedModel with a generate signature")
    cli_args.add_model_dir(export, "char_lm")
    export.add_argument("--export-dir", default=None, help="default: MODEL_DIR/export")
    export.set_defaults(run=run_export)

    tune = actions.add_parser("tune", help="keras-tuner search over cell, units, layers, dropout, learning rate")
    _data_flags(tune)
    cli_args.add_training(tune, epochs=3, batch_size=64)
    tune.add_argument("--max-trials", type=cli_args.positive_int, default=6, help="(default: %(default)s)")
    tune.add_argument("--sequence-length", type=cli_args.positive_int, default=100, help="(default: %(default)s)")
    tune.set_defaults(run=run_tune)


def _data_flags(parser):
    cli_args.add_data(parser, "a UTF-8 text file or a folder of .txt files")
    cli_args.add_model_dir(parser, "char_lm")
    cli_args.add_validation_split(parser, 0.1)


def run_train(args):
    from keras_seq.applications.char_lm.config import CharLMConfig
    from keras_seq.applications.char_lm.train import train

    config = CharLMConfig(
        cell=args.cell, units=args.units, layers=args.layers, embedding_dim=args.embedding_dim,
        dropout=args.dropout, sequence_length=args.sequence_length, batch_size=args.batch_size,
        learning_rate=args.learning_rate, clipnorm=args.clipnorm, tbptt=args.tbptt, seed=args.seed,
    )
    lm, history = train(
        config, data=args.data, model_dir=args.model_dir, epochs=args.epochs, time_budget=args.time_budget,
        validation_split=args.validation_split, verbose=0 if args.quiet else 1, samples=not args.quiet,
    )
    last = {k: round(float(v[-1]), 4) for k, v in history.history.items()}
    print(f"Saved to {args.model_dir} after {history.seconds:.0f} s.")
    print(json.dumps({**last, "train_seconds": round(history.seconds, 1)}))


def run_evaluate(args):
    from keras_seq.applications.char_lm.char_lm import CharLM
    from keras_seq.applications.char_lm.data import load_corpus

    lm = CharLM.load(args.model_dir)
    if args.split == "all":
        corpus = load_corpus(args.data, args.validation_split, lm.config.sequence_length)
        text = corpus.train + corpus.validation
    elif args.split == "validation":
        corpus = load_corpus(args.data, args.validation_split, lm.config.sequence_length)
        text = corpus.validation
    elif args.data.startswith("tfds:"):
        corpus = load_corpus(args.data, args.validation_split, lm.config.sequence_length, split=args.split)
        text = corpus.validation
    else:
        from keras_seq.errors import UserInputError

        raise UserInputError(f"--split {args.split!r} needs a tfds: source; use validation or all")
    metrics = lm.evaluate(text)
    print(f"{corpus.description}, split {args.split}: {metrics['val_loss']:.4f} nats/char, "
          f"{metrics['bits_per_char']:.4f} bits/char, perplexity {metrics['perplexity']:.3f} "
          f"over {metrics['chars']:,} characters")
    print(json.dumps(metrics))


def run_generate(args):
    from keras_seq.applications.char_lm.char_lm import CharLM

    lm = CharLM.load(args.model_dir)
    sys.stdout.write(args.prompt)
    for piece in lm.stream(args.prompt, args.length, temperature=args.temperature, top_k=args.top_k,
                           top_p=args.top_p, seed=args.seed):
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")


def run_export(args):
    from keras_seq.applications.char_lm.char_lm import CharLM

    lm = CharLM.load(args.model_dir)
    export_dir = args.export_dir or os.path.join(args.model_dir, "export")
    lm.export(export_dir)
    print(f"SavedModel written to {export_dir}; signatures: generate(prompt, length, temperature, top_k), "
          "generate_batch(prompts, ...)")


def run_tune(args):
    import keras_tuner

    from keras_seq.applications.char_lm.config import CharLMConfig
    from keras_seq.applications.char_lm.data import load_corpus, window_dataset
    from keras_seq.applications.char_lm.model import CharLMHyperModel
    from keras_seq.data.char_vocabulary import CharVocabulary
    from keras_seq.training import TimeBudget

    corpus = load_corpus(args.data, args.validation_split, args.sequence_length)
    vocabulary = CharVocabulary.from_text(corpus.train)
    base = CharLMConfig(vocab_size=vocabulary.size, sequence_length=args.sequence_length,
                        batch_size=args.batch_size, seed=args.seed)
    train_data = window_dataset(vocabulary.encode(corpus.train), base.sequence_length, base.batch_size, seed=args.seed)
    val_data = window_dataset(vocabulary.encode(corpus.validation), base.sequence_length, base.batch_size,
                              shuffle=False, drop_remainder=False)
    tuner = keras_tuner.RandomSearch(
        CharLMHyperModel(base), objective="val_loss", max_trials=args.max_trials, seed=args.seed,
        directory=os.path.join(args.model_dir, "tuning"), project_name="char_lm", overwrite=False,
    )
    callbacks = [TimeBudget(args.time_budget)] if args.time_budget else []
    tuner.search(train_data, validation_data=val_data, epochs=args.epochs, callbacks=callbacks,
                 verbose=0 if args.quiet else 1)
    best = tuner.get_best_hyperparameters(1)[0].values
    print(json.dumps({"best_hyperparameters": best}))
