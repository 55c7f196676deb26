"""A trained char LM: generation, evaluation, saving and loading."""

import os
import random
import tempfile

import keras
import numpy as np
import tensorflow as tf

from keras_seq.applications.char_lm.config import CharLMConfig
from keras_seq.applications.char_lm.data import window_dataset
from keras_seq.applications.char_lm.model import build_char_lm
from keras_seq.data.char_vocabulary import CharVocabulary
from keras_seq.decoding import prefill, sample
from keras_seq.decoding.sampling import check_sampling_args
from keras_seq.errors import UserInputError

MODEL_FILE, VOCAB_FILE, CONFIG_FILE = "model.keras", "vocab.json", "config.json"


class CharLM:
    """A character model with its vocabulary: `generate`, `stream`,
    `evaluate`, `save`, `load`, `export`.

    Generation runs the recurrent cells one character at a time inside one
    compiled loop (`keras_seq.decoding.prefill` over the prompt, then
    `keras_seq.decoding.sample`), many prompts at once.

    Args:
        model: a model from `build_char_lm` (stateful or not; generation
            uses its layers' cells with its own state).
        vocabulary: the `CharVocabulary` the model was trained with.
        config: the `CharLMConfig` it was built from.

    Example:
    >>> lm = CharLM.load("saved_models/char_lm")
    >>> lm.generate("ROMEO:", length=200, temperature=0.8, seed=1)
    """

    def __init__(self, model, vocabulary, config):
        self.model = model
        self.vocabulary = vocabulary
        self.config = config
        self.embedding = model.get_layer("embedding")
        self.cells = [model.get_layer(f"rnn_{i}").cell for i in range(config.layers)]
        self.dense = model.get_layer("logits")
        self.seed_generator = keras.random.SeedGenerator(0)
        self.start_id = int(vocabulary.encode("\n")[0]) if "\n" in vocabulary else 0
        self._decode = tf.function(self._decode_ids, reduce_retracing=True)

    # ------------------------------------------------------------ stepping
    def step(self, tokens, state):
        """`(B,)` ids and per-layer states -> `(B, V)` logits and states."""
        x = self.embedding(tokens)  # (B, E)
        new_state = []
        for cell, cell_state in zip(self.cells, state):
            x, cell_state = cell(x, cell_state)  # (B, U)
            new_state.append(cell_state)
        return self.dense(x), new_state

    def initial_state(self, batch):
        return [cell.get_initial_state(batch_size=batch) for cell in self.cells]

    def _decode_ids(self, prompts, lengths, length, temperature, top_k, top_p, state=None):
        batch = tf.shape(prompts)[0]
        if state is None:
            state, start = prefill(self.step, self.initial_state(batch), prompts, lengths)
        else:
            start = prompts[:, 0]
        tokens, _, state = sample(
            self.step, state, start, length, temperature=temperature, top_k=top_k, top_p=top_p,
            seed=self.seed_generator, return_state=True,
        )
        return tokens, state

    def encode_prompts(self, prompts):
        """Right-padded ids `(B, T)` and lengths; an empty prompt starts from
        a newline (or the unknown id if the text had none)."""
        encoded = [self.vocabulary.encode(p) if p else np.array([self.start_id], np.int32) for p in prompts]
        lengths = np.array([len(e) for e in encoded], np.int32)
        ids = np.zeros((len(encoded), lengths.max()), np.int32)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = e
        return ids, lengths

    def _seed(self, seed):
        if seed is None:
            seed = random.randrange(2**31)
        self.seed_generator.state.assign(np.array([seed, 0], dtype=self.seed_generator.state.dtype))

    # ---------------------------------------------------------- generation
    def generate(self, prompts, length=200, temperature=1.0, top_k=0, top_p=1.0, seed=None):
        """Text that follows each prompt.

        Args:
            prompts: a string or a list of strings (one output each); empty
                prompts and characters unseen in training are fine.
            length: int >= 0, characters to generate per prompt.
            temperature: > 0. Lower is more conservative.
            top_k: int >= 0; 0 disables.
            top_p: in (0, 1]; 1 disables.
            seed: int for reproducible output, or None.

        Returns:
            A string, or a list of strings if `prompts` is a list.
        """
        single = isinstance(prompts, str)
        chunks = self._generate_ids(prompts, length, temperature, top_k, top_p, seed)
        texts = [self.vocabulary.decode(row) for row in chunks]
        return texts[0] if single else texts

    def _generate_ids(self, prompts, length, temperature, top_k, top_p, seed):
        self._check(length, temperature, top_k, top_p)
        prompts = [prompts] if isinstance(prompts, str) else list(prompts)
        if not prompts:
            raise UserInputError("no prompt given")
        ids, lengths = self.encode_prompts(prompts)
        self._seed(seed)
        tokens, _ = self._decode(ids, lengths, *_as_tensors(length, temperature, top_k, top_p))
        return tokens.numpy()

    def stream(self, prompt, length=200, temperature=1.0, top_k=0, top_p=1.0, seed=None, chunk=16):
        """Yield the generated text of one prompt in pieces of `chunk`
        characters, as they are produced (the state carries across pieces).
        """
        self._check(length, temperature, top_k, top_p)
        ids, lengths = self.encode_prompts([prompt])
        self._seed(seed)
        state = None
        done = 0
        while done < length:
            n = min(chunk, length - done)
            args = _as_tensors(n, temperature, top_k, top_p)
            if state is None:
                tokens, state = self._decode(ids, lengths, *args)
            else:
                tokens, state = self._decode(ids, lengths, *args, state)
            tokens = tokens.numpy()
            ids = tokens[:, -1:]  # the next piece starts from the last character
            done += n
            yield self.vocabulary.decode(tokens[0])

    @staticmethod
    def _check(length, temperature, top_k, top_p):
        if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
            raise UserInputError(f"length must be an integer >= 0; got {length!r}")
        try:
            check_sampling_args(temperature, top_k, top_p)
        except ValueError as error:
            raise UserInputError(str(error)) from None

    # ---------------------------------------------------------- evaluation
    def evaluate(self, text, batch_size=None):
        """`{"val_loss", "bits_per_char", "perplexity", "chars"}` on `text`
        (nats per character), every full window of the text counted once."""
        length = self.config.sequence_length
        if len(text) < length + 1:
            raise UserInputError(f"the text to evaluate has {len(text)} characters, fewer than one window of {length + 1}")
        model = self.inference_model()
        data = window_dataset(self.vocabulary.encode(text), length, batch_size or self.config.batch_size, shuffle=False, drop_remainder=False)
        loss, bpc, ppl = model.evaluate(data, verbose=0)
        chars = ((len(text) - 1) // length) * length
        return {"val_loss": round(float(loss), 4), "bits_per_char": round(float(bpc), 4), "perplexity": round(float(ppl), 3), "chars": chars}

    def inference_model(self):
        """The model without state (`tbptt` off), sharing nothing mutable:
        a copy with the same weights when the trained one is stateful."""
        if not self.config.tbptt:
            return self.model
        model = build_char_lm(self.config.replace(tbptt=False))
        model.set_weights(self.model.get_weights())
        if self.model.optimizer.built:  # keep the optimizer's state too
            model.optimizer.build(model.trainable_variables)
            for mine, theirs in zip(model.optimizer.variables, self.model.optimizer.variables):
                mine.assign(theirs)
        return model

    # ------------------------------------------------------ saving, loading
    def save(self, model_dir):
        """Write `model.keras`, `vocab.json` and `config.json` to
        `model_dir`, each through a temporary file and a rename, so a crash
        never leaves a half-written file."""
        os.makedirs(model_dir, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=model_dir, prefix=".saving-") as tmp:
            self.inference_model().save(os.path.join(tmp, MODEL_FILE))
            self.vocabulary.save(os.path.join(tmp, VOCAB_FILE))
            with open(os.path.join(tmp, CONFIG_FILE), "w", encoding="utf-8") as f:
                f.write(self.config.replace(tbptt=False).to_json())
            for name in (VOCAB_FILE, CONFIG_FILE, MODEL_FILE):  # the model last: it marks a complete save
                os.replace(os.path.join(tmp, name), os.path.join(model_dir, name))

    @classmethod
    def load(cls, model_dir):
        """Load what `save` wrote (the `.keras` file with `safe_mode=True`)."""
        paths = [os.path.join(model_dir, name) for name in (MODEL_FILE, VOCAB_FILE, CONFIG_FILE)]
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            raise UserInputError(f"no trained char LM in {model_dir} (missing {os.path.basename(missing[0])}); run `keras-seq char-lm train` first")
        model = keras.saving.load_model(paths[0], safe_mode=True)
        vocabulary = CharVocabulary.load(paths[1])
        with open(paths[2], encoding="utf-8") as f:
            config = CharLMConfig.from_json(f.read())
        return cls(model, vocabulary, config)

    def export(self, export_dir):
        """Write a SavedModel with `generate` and `generate_batch`
        signatures (see `keras_seq.applications.char_lm.export`)."""
        from keras_seq.applications.char_lm.export import export_generator

        return export_generator(self, export_dir)


def _as_tensors(length, temperature, top_k, top_p):
    """Tensors, so that new values do not retrace the compiled loop."""
    return (
        tf.constant(int(length), tf.int32),
        tf.constant(float(temperature), tf.float32),
        tf.constant(int(top_k), tf.int32),
        tf.constant(float(top_p), tf.float32),
    )
