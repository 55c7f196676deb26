"""LiteRT export of a char LM: one step per call, for a generation loop on
a device."""

import tensorflow as tf

from keras_seq.errors import UserInputError
from keras_seq.export.litert import convert, convert_function, lstm_sequence, lstm_weights

# how a caller maps text to the model's ids, written beside the .tflite file
HOW_TO_ENCODE = (
    "The id of a character is its index in `chars` plus 1; any other character is id 0. The model's `step` "
    "signature takes `ids` (int32, one per stream) and returns `logits` (float32, one row of `len(chars) + 1` per "
    "stream) for the next character. Feed the prompt one character per call, then each sampled character. LSTM "
    "models keep their states inside the interpreter from one call to the next (`interpreter.reset_all_variables()` "
    "starts a new text); GRU and SimpleRNN models take `state_0`, `state_1`, ... (one per layer, zeros to start a "
    "text) and return the next ones beside the logits."
)


HOW_TO_ENCODE_WORDS = (
    "The id of a token is its index in `words` plus 4 (0 pads, 1 is any unknown token, 2 begins a sentence, 3 ends "
    "a line or a sentence). Words: put spaces around punctuation, split on whitespace, keep the case. Subwords: "
    "split each word greedily into the longest pieces of `words`, a piece after the first written with `##`. "
    "A stream model starts from `start_id` (after a line end), a sentence model from `start_id` (begin) and stops "
    "at `end_id`. The `step` signature is used as for characters."
)


class CharLMStep(tf.Module):
    """The char LM's step for LiteRT: token ids `(B,)` in (characters,
    words or subwords), the next token's logits `(B, V)` out. Each LSTM layer becomes one fused
    `UNIDIRECTIONAL_SEQUENCE_LSTM` op whose states stay in the interpreter
    between calls (see `keras_seq.export.litert`); GRU and SimpleRNN layers
    take their states `state_i (B, U)` in and give the next ones out.

    Args:
        char_lm: a `CharLM` of LSTM, GRU or SimpleRNN layers.
        batch: the number of streams per call (fixed in the model).

    Raises:
        UserInputError: for an NTM char LM.
    """

    signature = "step"  # the model's signature

    def __init__(self, char_lm, batch=1):
        super().__init__()
        cells = list(char_lm.cells)
        names = {type(cell).__name__ for cell in cells}
        self.fused = names == {"LSTMCell"}
        if not self.fused and not names <= {"GRUCell", "SimpleRNNCell"}:
            raise UserInputError(
                "LiteRT export of the char LM runs LSTM, GRU and SimpleRNN layers; this model has "
                f"{', '.join(sorted(names))} (train with --cell lstm)"
            )
        self.lm, self.batch = char_lm, int(batch)
        if self.fused:
            self.embeddings = tf.constant(char_lm.embedding.embeddings.numpy())  # (V, E)
            self.layers = [(lstm_weights(cell), cell.units) for cell in cells]
            self.logits_kernel = tf.constant(char_lm.dense.kernel.numpy())  # (U, V)
            self.logits_bias = tf.constant(char_lm.dense.bias.numpy())  # (V,)
            self.step = tf.function(self._step, input_signature=[tf.TensorSpec([self.batch], tf.int32, name="ids")])

    def write(self, path, quantize="none"):
        """Convert to `path` (see `keras_seq.export.litert.convert` and
        `convert_function`)."""
        if self.fused:
            return convert(self, self.signature, path, quantize)
        cells = self.lm.cells
        specs = [tf.TensorSpec([self.batch], tf.int32, name="ids")] + [
            tf.TensorSpec([self.batch, cell.units], tf.float32, name=f"state_{i}") for i, cell in enumerate(cells)
        ]

        def step(ids, *states):  # explicit states: each layer's h in and out
            logits, new = self.lm.step(ids, [[state] for state in states])
            return {"logits": logits, **{f"state_{i}": layer[0] for i, layer in enumerate(new)}}

        variables = self.lm.model.variables
        return convert_function(step, specs, path, quantize, signature=self.signature, variables=variables)

    def assets(self):
        """`vocabulary.json`: the characters (or words, or subwords), the
        special ids, and how a caller maps text to ids."""
        tokens, config = self.lm.tokens, self.lm.config
        about = {"tokens": config.tokens, "unit": config.unit, **tokens.assets()}
        ids = {"unknown_id": tokens.unknown_id, "start_id": tokens.start_id, "end_id": tokens.end_id}
        how = HOW_TO_ENCODE if config.tokens == "char" else HOW_TO_ENCODE_WORDS
        return {"vocabulary.json": {**about, **ids, "how": how}}

    def _step(self, ids):
        x = tf.gather(self.embeddings, ids)[:, None, :]  # (B, 1, E)
        for weights, units in self.layers:
            zeros = tf.zeros([self.batch, units])  # a constant: the interpreter keeps the state from call to call
            x = lstm_sequence(x, weights, (zeros, zeros))  # (B, 1, U)
        return {"logits": tf.matmul(x[:, 0], self.logits_kernel) + self.logits_bias}  # (B, V)
