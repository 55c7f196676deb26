"""`keras-seq tag <action>`: the shared actions, and `predict`."""

import json

from keras_seq.applications.cli import AppCommand
from keras_seq.applications.tag.config import TaggerConfig, TaggerDataOptions


class TagCommand(AppCommand):
    """`keras-seq tag`: the shared actions and `predict` (each text's
    tokens with their tags, and its entities).

    Examples:
        >>> keras-seq tag train --data train.conll --time-budget 1800
        >>> keras-seq tag predict "John Smith flew to Paris."
    """

    help = "sequence tagger: named entities, parts of speech; a BiLSTM with our CRF"
    description = "Sequence tagger (words, characters and case -> our BiLSTM/BiGRU -> our CRF)."
    config_class = TaggerConfig
    data_options = TaggerDataOptions
    data_help = "a CoNLL-style column file (word first, tag last; blank lines between sentences) or a .conllu file"
    task = "keras_seq.applications.tag.task:Tagger"
    tune_flags = ("max_length",)

    def add_actions(self, actions):
        self.add_predict(actions, "tag texts given on the command line or in --input", "text")
        plot = self.add_plot(
            actions,
            "a text with its entities highlighted (.html or .png), and with --transitions the CRF's transition scores",
            output="tags.html",
            output_help="the picture of the text: FILE.html or FILE.png (default: %(default)s)",
        )
        plot.add_argument("text")
        plot.add_argument("--transitions", metavar="PNG", help="also write the learned transition scores as a heat map")

    def after_train(self, task, history):
        sample = history.validation_examples.sentences[:3]
        for words, tags in zip(sample, task.predict_tags(sample)):
            print(" ".join(f"{w}/{t}" for w, t in zip(words, tags)))

    def run_predict(self, args):
        texts = self.predict_inputs(args)
        results = self.load(args).tag(texts)
        for result in results:
            print(" ".join(f"{w}/{t}" for w, t in zip(result["tokens"], result["tags"])))
        print(json.dumps({"results": results}, ensure_ascii=False))

    def run_plot(self, args):
        from keras_seq.errors import UserInputError

        tagger = self.load(args)
        if args.output.endswith(".html"):
            from keras_seq.export import atomic_file

            with atomic_file(args.output) as tmp, open(tmp, "w", encoding="utf-8") as file:
                file.write(tagger.highlight_html([args.text]))
        elif args.output.endswith(".png"):
            tagger.highlight_png([args.text], args.output)
        else:
            raise UserInputError(f"--output writes a .html or .png file; got {args.output}")
        print(f"tags written to {args.output}")
        if args.transitions:
            tagger.plot_transitions(args.transitions)
            print(f"transition scores written to {args.transitions}")


COMMAND = TagCommand()
