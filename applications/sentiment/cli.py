"""`keras-seq sentiment <action>`: the shared actions, and `predict`."""

import json
import os
import sys

from keras_seq.applications import flags
from keras_seq.applications.cli import AppCommand
from keras_seq.applications.sentiment.config import SentimentConfig, SentimentDataOptions
from keras_seq.errors import UserInputError


class SentimentCommand(AppCommand):
    """`keras-seq sentiment`: the shared actions and `predict` (a label and
    its probability for each text, and with `--explain` the attention
    over its words as HTML).

    Examples:
        >>> keras-seq sentiment train --data reviews.csv --time-budget 300
        >>> keras-seq sentiment predict "a fine film" "dull and long"
    """

    help = "sentiment classifier: raw text in, label out; attention you can look at"
    description = "Text classifier (TextVectorization -> Embedding -> our BiLSTM/BiGRU -> pooling -> Dense)."
    config_class = SentimentConfig
    data_options = SentimentDataOptions
    data_help = "a CSV/TSV file (text and label columns) or a folder with one sub-folder per class"
    task = "keras_seq.applications.sentiment.task:SentimentClassifier"

    def add_actions(self, actions):
        predict = self.add_predict(actions, "classify texts given on the command line or in --input", "text")
        predict.add_argument("--explain", metavar="FILE", help="write the attention weights as FILE.html or FILE.png")

    def run_predict(self, args):
        from keras_seq.export import atomic_file

        explain = None
        if args.explain:
            if os.path.splitext(args.explain)[1] not in ("", ".png", ".html") or os.path.isdir(args.explain):
                raise UserInputError(f"--explain writes a .html or .png file; got {args.explain}")
            explain = args.explain if args.explain.endswith((".png", ".html")) else args.explain + ".html"
            flags.check_output_folder(explain)
        texts = self.predict_inputs(args)
        classifier = self.load(args)
        labels, probabilities = classifier.classify(texts)
        for text, label, p in zip(texts, labels, probabilities):
            print(
                json.dumps(
                    {
                        "text": text,
                        "label": label,
                        "probabilities": {n: round(float(x), 4) for n, x in zip(classifier.config.labels, p)},
                    }
                )
            )
        if explain:
            with atomic_file(explain) as tmp:
                if explain.endswith(".png"):
                    classifier.explanation_png(texts, tmp)
                else:
                    with open(tmp, "w", encoding="utf-8") as f:
                        f.write(classifier.explanation_html(texts))
            print(f"attention weights written to {explain}", file=sys.stderr)


COMMAND = SentimentCommand()
