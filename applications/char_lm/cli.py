"""`keras-seq char-lm <action>`: the shared actions, `generate` and `score`."""

import json
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
        >>> keras-seq char-lm score "The cat is black" "The cat is blakc" --plot surprisal.png
    """

    help = "language model over characters, words or subwords (also `keras-seq lm`): train, generate, score, export"
    description = "Language model over characters, words or subwords (Embedding -> our recurrent layers -> Dense)."
    config_class = CharLMConfig
    data_help = "a UTF-8 text file or a folder of .txt files"
    task = "keras_seq.applications.char_lm.task:CharLM"
    tune_flags = ("sequence_length",)
    aliases = ("lm",)  # the language model over characters, words or subwords

    def add_actions(self, actions):
        generate = self._action(actions, "generate", "stream generated text after a prompt", self.run_generate)
        flags.add_model_dir(generate, self.name)
        generate.add_argument("--prompt", default="", help="text to continue (default: empty: start of a line)")
        SamplingOptions.add_flags(generate)
        score = self._action(actions, "score", "the probability of texts, character by character", self.run_score)
        flags.add_model_dir(score, self.name)
        score.add_argument("texts", nargs="*", metavar="TEXT", help="the texts (or --input)")
        score.add_argument("--input", help="a file with one text a line")
        score.add_argument("--plot", help="also draw each character's surprisal to this PNG")

    def train_callbacks(self):
        from keras_seq.applications.char_lm.task import SampleText

        return [SampleText()]

    def run_score(self, args):
        texts = flags.read_inputs(args.texts, args.input, "text")
        if args.plot:
            flags.check_output_folder(args.plot)
        scores = self.load(args).score(texts)
        for s in scores:
            print(
                f"{s['log_probability']:.4f} nats, {s['bits']:.2f} bits, perplexity {s['perplexity']:.3f}: {s['text']}"
            )
        if args.plot:
            from keras_seq.applications.char_lm.score import plot_surprisal

            print(f"Wrote {plot_surprisal(scores, args.plot)}")
        print(json.dumps({"scores": scores}, ensure_ascii=False))

    def run_generate(self, args):
        lm = self.load(args)
        sys.stdout.write(args.prompt)
        for piece in lm.stream(args.prompt, **SamplingOptions.from_args(args).to_dict()):
            sys.stdout.write(piece)
            sys.stdout.flush()
        sys.stdout.write("\n")


COMMAND = CharLMCommand()
