"""`keras-seq translate <action>`: the shared actions, `predict` and `plot`."""

import sys

from keras_seq.applications import flags
from keras_seq.applications.cli import AppCommand
from keras_seq.applications.translate.config import TranslatorConfig, TranslatorDataOptions


def _beam_flags(parser):
    parser.add_argument("--beam-width", type=flags.positive_int, default=None, help="1 is greedy (default: the model's)")
    parser.add_argument("--length-penalty", type=flags.non_negative_float, default=None, help="GNMT alpha (default: the model's)")


class TranslateCommand(AppCommand):
    name = "translate"
    help = "translator: encoder-decoder with attention, beam search, BLEU, heat maps"
    description = "Sequence-to-sequence translation with our attention decoder."
    config_class = TranslatorConfig
    data_options = TranslatorDataOptions
    data_help = "a TSV of pairs (source<TAB>target) or a prefix PATH with PATH.SRC and PATH.TGT files"
    task = "keras_seq.applications.translate.task:Translator"

    def add_evaluate_flags(self, parser):
        _beam_flags(parser)

    def evaluate_kwargs(self, args):
        return {"beam_width": args.beam_width, "length_penalty": args.length_penalty}

    def add_actions(self, actions):
        predict = self._action(actions, "predict", "translate sentences given on the command line or in --input", self.run_predict)
        flags.add_model_dir(predict, self.name)
        predict.add_argument("sentences", nargs="*")
        predict.add_argument("--input", help="a file with one sentence a line")
        predict.add_argument("--plot", metavar="PNG", help="write the attention heat map of the first sentence")
        _beam_flags(predict)

        plot = self._action(actions, "plot", "write the attention heat map of a sentence's translation as a PNG", self.run_plot)
        flags.add_model_dir(plot, self.name)
        plot.add_argument("sentence")
        plot.add_argument("--output", default="attention.png", help="(default: %(default)s)")
        _beam_flags(plot)

    def after_train(self, task, history, args):
        sample = history.validation_examples.sources[:3]
        for source, translation in zip(sample, task.translate(sample)):
            print(f"{source}  ->  {translation}")

    def run_predict(self, args):
        sentences = flags.read_inputs(args.sentences, args.input, "sentence")
        translator = self.load(args)
        translations = translator.translate(sentences, beam_width=args.beam_width, length_penalty=args.length_penalty)
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
