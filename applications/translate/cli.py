"""`keras-seq translate <action>`: train, evaluate, predict, plot, export, tune."""

import argparse
import json
import os
import sys
import warnings

from keras_seq import cli_args


def add_parser(commands, name):
    app = commands.add_parser(name, help="translator: encoder-decoder with attention, beam search, BLEU, heat maps",
                              description="Sequence-to-sequence translation with our attention decoder.")
    actions = app.add_subparsers(dest="action", metavar="<action>", required=True)

    train = actions.add_parser("train", help="train on --data and save to --model-dir")
    _data_flags(train)
    cli_args.add_training(train, epochs=10, batch_size=64)
    train.add_argument("--cell", choices=["gru", "lstm"], default="gru", help="(default: %(default)s)")
    train.add_argument("--attention", choices=["bahdanau", "luong"], default="bahdanau", help="(default: %(default)s)")
    train.add_argument("--input-feeding", action=argparse.BooleanOptionalAction, default=False,
                       help="feed the attentional output back into the decoder (default: off)")
    train.add_argument("--use-bias", action=argparse.BooleanOptionalAction, default=True,
                       help="a bias in the attentional output layer (default: on)")
    train.add_argument("--tie-embeddings", action=argparse.BooleanOptionalAction, default=False,
                       help="score target words with the target embedding's table (default: off)")
    train.add_argument("--embedding-dim", type=cli_args.positive_int, default=256, help="(default: %(default)s)")
    train.add_argument("--encoder-units", type=cli_args.positive_int, default=256, help="per direction (default: %(default)s)")
    train.add_argument("--encoder-layers", type=cli_args.positive_int, default=1, help="(default: %(default)s)")
    train.add_argument("--decoder-units", type=cli_args.positive_int, default=512, help="(default: %(default)s)")
    train.add_argument("--dropout", type=cli_args.non_negative_float, default=0.2, help="on the decoder output (default: %(default)s)")
    train.add_argument("--embedding-dropout", type=cli_args.non_negative_float, default=0.0, help="on both embeddings (default: %(default)s)")
    train.add_argument("--label-smoothing", type=cli_args.non_negative_float, default=0.0, help="(default: %(default)s)")
    train.add_argument("--scheduled-sampling", type=cli_args.non_negative_float, default=0.0,
                       help="largest probability of feeding the model's own tokens, reached linearly (default: off)")
    train.add_argument("--ema-momentum", type=cli_args.non_negative_float, default=0.0,
                       help="keep a moving average of the weights with this momentum and end with it, e.g. 0.999 (default: off)")
    train.add_argument("--max-vocab", type=cli_args.positive_int, default=8000, help="words per language (default: %(default)s)")
    train.add_argument("--max-length", type=cli_args.positive_int, default=40,
                       help="tokens per sentence; longer ones are truncated with a warning (default: %(default)s)")
    train.add_argument("--learning-rate", type=cli_args.positive_float, default=1e-3, help="(default: %(default)s)")
    train.set_defaults(run=run_train)

    evaluate = actions.add_parser("evaluate", help="corpus BLEU and chrF (sacreBLEU), greedy and beam; JSON last line")
    _data_flags(evaluate)
    evaluate.add_argument("--split", default="validation", help="validation (default), all, or a tfds split")
    _beam_flags(evaluate)
    evaluate.set_defaults(run=run_evaluate)

    predict = actions.add_parser("predict", help="translate sentences given on the command line or in --input")
    cli_args.add_model_dir(predict, "translate")
    predict.add_argument("sentences", nargs="*")
    predict.add_argument("--input", help="a file with one sentence a line")
    predict.add_argument("--plot", metavar="PNG", help="write the attention heat map of the first sentence")
    _beam_flags(predict)
    predict.set_defaults(run=run_predict)

    plot = actions.add_parser("plot", help="write the attention heat map of a sentence's translation as a PNG")
    cli_args.add_model_dir(plot, "translate")
    plot.add_argument("sentence")
    plot.add_argument("--output", default="attention.png", help="(default: %(default)s)")
    _beam_flags(plot)
    plot.set_defaults(run=run_plot)

    export = actions.add_parser("export", help="write a SavedModel with a translate signature (strings in, strings out)")
    cli_args.add_model_dir(export, "translate")
    export.add_argument("--export-dir", default=None, help="default: MODEL_DIR/export")
    export.set_defaults(run=run_export)

    tune = actions.add_parser("tune", help="keras-tuner search over cell, sizes, attention, dropout, learning rate")
    _data_flags(tune)
    cli_args.add_training(tune, epochs=3, batch_size=64)
    tune.add_argument("--max-trials", type=cli_args.positive_int, default=4, help="(default: %(default)s)")
    tune.set_defaults(run=run_tune)


def _data_flags(parser):
    cli_args.add_data(parser, "a TSV of pairs (source<TAB>target) or a prefix PATH with PATH.SRC and PATH.TGT files")
    cli_args.add_model_dir(parser, "translate")
    cli_args.add_validation_split(parser, 0.05)
    parser.add_argument("--src-lang", default="en", help="source language suffix / tfds feature (default: %(default)s)")
    parser.add_argument("--tgt-lang", default="de", help="target language suffix / tfds feature (default: %(default)s)")


def _beam_flags(parser):
    parser.add_argument("--beam-width", type=cli_args.positive_int, default=None, help="1 is greedy (default: the model's, 5)")
    parser.add_argument("--length-penalty", type=cli_args.non_negative_float, default=None, help="GNMT alpha (default: the model's, 0.6)")


def _warnings_to_stderr(caught):
    for warning in caught:
        print(f"keras-seq: warning: {warning.message}", file=sys.stderr)


def run_train(args):
    from keras_seq.applications.translate.config import TranslatorConfig
    from keras_seq.applications.translate.train import train

    config = TranslatorConfig(
        cell=args.cell, attention=args.attention, input_feeding=args.input_feeding, use_bias=args.use_bias, tie_embeddings=args.tie_embeddings,
        embedding_dim=args.embedding_dim, encoder_units=args.encoder_units, encoder_layers=args.encoder_layers,
        decoder_units=args.decoder_units, dropout=args.dropout, embedding_dropout=args.embedding_dropout, label_smoothing=args.label_smoothing,
        scheduled_sampling=args.scheduled_sampling, ema_momentum=args.ema_momentum, max_vocab=args.max_vocab, max_length=args.max_length,
        learning_rate=args.learning_rate, batch_size=args.batch_size, seed=args.seed,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        translator, history, val_pairs = train(
            config, data=args.data, model_dir=args.model_dir, epochs=args.epochs, time_budget=args.time_budget,
            validation_split=args.validation_split, src_lang=args.src_lang, tgt_lang=args.tgt_lang,
            verbose=0 if args.quiet else 1,
        )
    _warnings_to_stderr(w for w in caught if "keras" not in str(w.filename))
    sample = val_pairs.sources[:3]
    for source, translation in zip(sample, translator.translate(sample)):
        print(f"{source}  ->  {translation}")
    print(f"Saved to {args.model_dir} after {history.seconds:.0f} s.")
    print(json.dumps({"val_loss": round(float(history.history["val_loss"][-1]), 4), "epochs": len(history.history["loss"]),
                      "train_seconds": round(history.seconds, 1)}))


def run_evaluate(args):
    from keras_seq.applications.translate.data import read_source, split_validation
    from keras_seq.applications.translate.translator import Translator
    from keras_seq.errors import UserInputError

    translator = Translator.load(args.model_dir)
    if args.split in ("validation", "all"):
        pairs = read_source(args.data, args.src_lang, args.tgt_lang, "train")
        if args.split == "validation":
            pairs = split_validation(pairs, args.validation_split, translator.config.seed)[1]
    elif args.data.startswith("tfds:"):
        pairs = read_source(args.data, args.src_lang, args.tgt_lang, args.split)
    else:
        raise UserInputError(f"--split {args.split!r} needs a tfds: source; use validation or all")
    metrics = translator.evaluate(pairs, beam_width=args.beam_width, length_penalty=args.length_penalty)
    print(f"{pairs.description}, split {args.split}, {metrics['count']} pairs: BLEU greedy {metrics['bleu_greedy']}, "
          f"beam-{metrics['beam_width']} {metrics['bleu_beam']}; chrF greedy {metrics['chrf_greedy']}, beam {metrics['chrf_beam']}")
    print(json.dumps(metrics))


def run_predict(args):
    from keras_seq.applications.translate.translator import Translator

    sentences = cli_args.read_inputs(args.sentences, args.input, "sentence")
    translator = Translator.load(args.model_dir)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        translations = translator.translate(sentences, beam_width=args.beam_width, length_penalty=args.length_penalty)
        if args.plot:
            translator.plot_attention(sentences[0], args.plot, beam_width=args.beam_width)
    _warnings_to_stderr(caught)
    for translation in translations:
        print(translation)
    if args.plot:
        print(f"attention heat map written to {args.plot}", file=sys.stderr)


def run_plot(args):
    from keras_seq.applications.translate.translator import Translator

    translator = Translator.load(args.model_dir)
    translator.plot_attention(args.sentence, args.output, beam_width=args.beam_width)
    print(f"attention heat map written to {args.output}")


def run_export(args):
    from keras_seq.applications.translate.translator import Translator

    translator = Translator.load(args.model_dir)
    export_dir = args.export_dir or os.path.join(args.model_dir, "export")
    translator.export(export_dir)
    print(f"SavedModel written to {export_dir}; signature: translate(sentences) -> translations")


def run_tune(args):
    import keras_tuner

    from keras_seq.applications.translate.config import TranslatorConfig
    from keras_seq.applications.translate.data import normalized, read_source, split_validation
    from keras_seq.applications.translate.model import TranslatorHyperModel
    from keras_seq.applications.translate.text import WordVocabulary
    from keras_seq.applications.translate.train import bucketed_dataset, encode_pairs
    from keras_seq.training import TimeBudget

    pairs = read_source(args.data, args.src_lang, args.tgt_lang, "train")
    train_pairs, val_pairs = split_validation(pairs, args.validation_split, args.seed)
    sources, targets = normalized(train_pairs)
    source_vocab, target_vocab = WordVocabulary.build(sources, 8000), WordVocabulary.build(targets, 8000)
    base = TranslatorConfig(src_vocab_size=source_vocab.size, tgt_vocab_size=target_vocab.size, batch_size=args.batch_size, seed=args.seed)
    train_data = bucketed_dataset(*encode_pairs(sources, targets, source_vocab, target_vocab, base.max_length), base.batch_size, True, args.seed)
    vs, vt = normalized(val_pairs)
    val_data = bucketed_dataset(*encode_pairs(vs, vt, source_vocab, target_vocab, base.max_length), base.batch_size, False, args.seed)
    tuner = keras_tuner.RandomSearch(TranslatorHyperModel(base), objective="val_loss", max_trials=args.max_trials, seed=args.seed,
                                     directory=os.path.join(args.model_dir, "tuning"), project_name="translate", overwrite=False)
    callbacks = [TimeBudget(args.time_budget)] if args.time_budget else []
    tuner.search(train_data, validation_data=val_data, epochs=args.epochs, callbacks=callbacks, verbose=0 if args.quiet else 1)
    print(json.dumps({"best_hyperparameters": tuner.get_best_hyperparameters(1)[0].values}))
