"""SavedModel export of a char LM: prompt strings in, generated text out."""

import keras
import tensorflow as tf

from keras_seq.applications.char_lm.config import MAX_GENERATE_LENGTH
from keras_seq.applications.char_lm.score import token_log_probabilities
from keras_seq.applications.char_lm.token_graph import TokenGraph
from keras_seq.decoding import prefill, sample


class CharLMGenerator(tf.Module):
    """Serving module: tokenization, the prompt pass and the sampling loop
    all run inside the graph, so the SavedModel needs no Python code of
    ours.

    Signatures:
    - `generate(prompt: string, max_length: int32, temperature: float32,
      top_k: int32) -> string`, one prompt;
    - `generate_batch(prompts: string[B], ...) -> string[B]`;
    - `score(texts: string[B]) -> {"log_probability": float32[B],
      "token_log_probabilities": float32[B, T], "lengths": int32[B]}`: each
      text's natural-log probability and its tokens' (see
      `keras_seq.applications.char_lm.score`; an empty text gets 0 in
      stream mode).
    Characters, words or subwords, in a stream or sentences, as the model
    was trained (`TokenGraph`). An empty prompt starts after a line end (a
    sentence model's from `[BEGIN]`); unknown tokens map to the unknown id.
    `temperature` must be > 0 and `max_length` from 0 to
    `MAX_GENERATE_LENGTH` (100,000).
    """

    signatures = ("generate", "generate_batch", "score")  # what `Task.export` serves

    def __init__(self, char_lm):
        super().__init__()
        self.lm = char_lm
        self.embedding = char_lm.embedding
        self.cells = list(char_lm.cells)
        self.dense = char_lm.dense
        self.tokens = TokenGraph(char_lm.tokens)  # tracked: its lookup tables
        self.sentences = char_lm.config.unit == "sentence"
        self.seed_generator = keras.random.SeedGenerator(0)
        self.seed_state = self.seed_generator.state  # tracked: saved with the model
        self.network = char_lm.inference_model()  # tracked: what `score` runs over whole texts
        self.start_id = char_lm.start_id

    def _generate(self, prompts, length, temperature, top_k):
        checks = [
            tf.debugging.assert_greater(temperature, 0.0, message="temperature must be > 0"),
            tf.debugging.assert_non_negative(length, message="max_length must be >= 0"),
            tf.debugging.assert_less_equal(
                length, MAX_GENERATE_LENGTH, message=f"max_length must be at most {MAX_GENERATE_LENGTH}"
            ),
        ]
        with tf.control_dependencies(checks):  # before any of the work
            prompts = tf.identity(prompts)
            temperature = tf.identity(temperature)
        ids = self.tokens.encode(prompts)  # ragged (B, None)
        batch = ids.nrows(out_type=tf.int32)
        if self.sentences:  # a sentence starts from [BEGIN]
            ids = tf.concat([tf.RaggedTensor.from_tensor(tf.fill([batch, 1], self.start_id)), ids], axis=1)
        lengths = tf.cast(ids.row_lengths(), tf.int32)  # (B,)
        dense = ids.to_tensor(0, shape=[batch, tf.maximum(tf.reduce_max(tf.concat([lengths, [0]], 0)), 1)])  # (B, T)
        first = tf.where(lengths > 0, dense[:, 0], self.start_id)  # an empty prompt starts after a line end
        dense = tf.concat([first[:, None], dense[:, 1:]], axis=1)
        state, start = prefill(self.lm.step, self.lm.initial_state(batch), dense, tf.maximum(lengths, 1))
        tokens, _ = sample(
            self.lm.step, state, start, length, temperature=temperature, top_k=top_k, seed=self.seed_generator
        )  # (B, length)
        return self.tokens.text(tokens)  # (B,)

    @tf.function(
        input_signature=[
            tf.TensorSpec([], tf.string, name="prompt"),
            tf.TensorSpec([], tf.int32, name="max_length"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int32, name="top_k"),
        ]
    )
    def generate(self, prompt, max_length, temperature, top_k):
        return self._generate(prompt[None], max_length, temperature, top_k)[0]

    @tf.function(
        input_signature=[
            tf.TensorSpec([None], tf.string, name="prompts"),
            tf.TensorSpec([], tf.int32, name="max_length"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int32, name="top_k"),
        ]
    )
    def generate_batch(self, prompts, max_length, temperature, top_k):
        return self._generate(prompts, max_length, temperature, top_k)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="texts")])
    def score(self, texts):
        ids = self.tokens.encode(texts, sentence=self.sentences)  # ragged (B, None)
        lengths = tf.cast(ids.row_lengths(), tf.int32)  # (B,)
        log_p = token_log_probabilities(self.network, ids.to_tensor(0), lengths, self.start_id)  # (B, T)
        return {"log_probability": tf.reduce_sum(log_p, axis=1), "token_log_probabilities": log_p, "lengths": lengths}
