"""`keras-seq translate <action>`: the shared actions, `predict` and `plot`."""

import sys

from keras_seq.applications.cli import AppCommand
from keras_seq.applications.translate.config import TranslatorConfig, TranslatorDataOptions, TranslatorDecodeOptions


class TranslateCommand(AppCommand):
    """`keras-seq translate`: the shared actions and `predict` (greedy or
    beam-search translations) and `plot` (a sentence's attention heat
    map, PNG); `train` shows a few translations when it ends.

    Examples:
        >>> keras-seq translate train --data pairs.tsv --time-budget 1800
        >>> keras-seq translate predict "A man rides a bike." --beam-width 5
    """

    help = "translator: encoder-decoder with attention, beam search, BLEU, heat maps"
    description = "Sequence-to-sequence translation with our attention decoder."
    config_class = TranslatorConfig
    data_options = TranslatorDataOptions
    evaluate_options = TranslatorDecodeOptions
    data_help = "a TSV of pairs (source<TAB>target) or a prefix PATH with PATH.SRC and PATH.TGT files"
    task = "keras_seq.applications.translate.task:Translator"

    def add_actions(self, actions):
        predict = self.add_predict(actions, "translate sentences given on the command line or in --input", "sentence")
        predict.add_argument("--plot", metavar="PNG", help="write the attention heat map of the first sentence")
        self.add_evaluate_flags(predict)

        plot = self.add_plot(actions, "write the attention heat map of a sentence's translation as a PNG")
        plot.add_argument("sentence")
        self.add_evaluate_flags(plot, only=("beam_width",))

    def after_train(self, task, history):
        sample = history.validation_examples.sources[:3]
        for source, translation in zip(sample, task.translate(sample)):
            print(f"{source}  ->  {translation}")

    def run_predict(self, args):
        sentences = self.predict_inputs(args)
        translator = self.load(args)
        translations = translator.translate(sentences, **self.evaluate_kwargs(args))
        if args.plot:
            translator.plot_attention(sentences[0], args.plot, beam_width=args.beam_width)
        for translation in translations:
            print(translation)
        if args.plot:
            print(f"attention heat map written to {args.plot}", file=sys.stderr)

    def run_plot(self, args):
        translator = self.load(args)
        translator.plot_attention(args.sentence, args.output, beam_width=args.beam_width)
        print(f"attention heat map written to {args.output}")


COMMAND = TranslateCommand()
