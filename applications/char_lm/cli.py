"""`keras-seq char-lm <action>`: the shared actions, and `generate`."""

import sys

from keras_seq.applications import flags
from keras_seq.applications.char_lm.config import CharLMConfig, SamplingOptions
from keras_seq.applications.cli import AppCommand


class CharLMCommand(AppCommand):
    """`keras-seq char-lm`: the shared actions and `generate` (text from a
    prompt, with temperature, top-k or top-p sampling); `train` prints
    samples after each epoch unless `--quiet`.

    Examples:
        >>> keras-seq char-lm train --data play.txt --time-budget 600
        >>> keras-seq char-lm generate --prompt "To be" --max-length 200 --temperature 0.8
    """

    help = "next-character language model: train on any text, generate, export"
    description = "Next-character language model (Embedding -> our recurrent layers -> Dense)."
    config_class = CharLMConfig
    data_help = "a UTF-8 text file or a folder of .txt files"
    task = "keras_seq.applications.char_lm.task:CharLM"
    tune_flags = ("sequence_length",)

    def add_actions(self, actions):
        generate = self._action(actions, "generate", "stream generated text after a prompt", self.run_generate)
        flags.add_model_dir(generate, self.name)
        generate.add_argument("--prompt", default="", help="text to continue (default: empty: start of a line)")
        SamplingOptions.add_flags(generate)

    def train_callbacks(self):
        from keras_seq.applications.char_lm.task import SampleText

        return [SampleText()]

    def run_generate(self, args):
        lm = self.load(args)
        sys.stdout.write(args.prompt)
        for piece in lm.stream(args.prompt, **SamplingOptions.from_args(args).to_dict()):
            sys.stdout.write(piece)
            sys.stdout.flush()
        sys.stdout.write("\n")


COMMAND = CharLMCommand()
