"""The trained char LM: generation, evaluation, saving, loading, export."""

import random

import keras
import numpy as np
import tensorflow as tf

from keras_seq.applications import training
from keras_seq.applications.char_lm.config import MAX_GENERATE_LENGTH, CharLMConfig
from keras_seq.applications.char_lm.data import (
    Text,
    load_corpus,
    read_source,
    sentence_dataset,
    sentence_lines,
    stream_dataset,
    window_dataset,
)
from keras_seq.applications.char_lm.model import CharLMHyperModel, build_char_lm
from keras_seq.applications.char_lm.tokens import TextTokens
from keras_seq.applications.task import Task, layers_of
from keras_seq.applications.training import Prepared
from keras_seq.data import check_texts
from keras_seq.decoding import prefill, sample
from keras_seq.decoding.sampling import check_sampling_args
from keras_seq.errors import UserInputError


class CharLM(Task):
    """A character model with its vocabulary: `generate`, `stream`,
    `evaluate`, `save`, `load`, `export`.

    Generation runs the recurrent cells one character at a time inside one
    compiled loop (`keras_seq.decoding.prefill` over the prompt, then
    `keras_seq.decoding.sample`), many prompts at once.

    Args:
        model: a model from `build_char_lm` with its vocabulary (stateful
            or not; generation uses its layers' cells with its own state).

    Examples:
        >>> lm = CharLM.load("saved_models/char_lm")
        >>> lm.generate("ROMEO:", max_length=200, temperature=0.8, seed=1)
    """

    config_class = CharLMConfig
    builder = staticmethod(build_char_lm)
    hypermodel_class = CharLMHyperModel
    serving = "keras_seq.applications.char_lm.export:CharLMGenerator"
    litert = "keras_seq.applications.char_lm.litert:CharLMStep"

    def __init__(self, model):
        super().__init__(model)
        self.tokens = TextTokens.from_assets(self.config.tokens, self.assets, self.config.unit)  # chars, words, ...
        self.vocabulary = self.tokens.vocabulary
        self.embedding = layers_of(model, keras.layers.Embedding)[0]
        self.cells = [layer.cell for layer in layers_of(model, keras.layers.RNN)]  # bottom to top
        self.dense = layers_of(model, keras.layers.Dense)[-1]  # the logits
        self.seed_generator = keras.random.SeedGenerator(0)
        self.start_id = self.tokens.start_id  # after a line end: where generation and scoring start
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
            self.step,
            state,
            start,
            length,
            temperature=temperature,
            top_k=top_k,
            top_p=top_p,
            seed=self.seed_generator,
            return_state=True,
        )
        return tokens, state

    def encode_prompts(self, prompts):
        """Right-padded ids `(B, T)` and lengths; an empty prompt starts from
        a newline (or the unknown id if the text had none)."""
        encoded = [self.tokens.encode(p) for p in prompts]
        if self.config.unit == "sentence":  # a sentence starts from [BEGIN]
            encoded = [np.concatenate([[self.start_id], e]).astype(np.int32) for e in encoded]
        encoded = [e if len(e) else np.array([self.start_id], np.int32) for e in encoded]
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
    def generate(self, prompts, max_length=200, temperature=1.0, top_k=0, top_p=1.0, seed=None):
        """Text that follows each prompt.

        Args:
            prompts: a string or a list of strings (one output each); empty
                prompts and characters unseen in training are fine.
            max_length: int >= 0, characters to generate per prompt.
            temperature: > 0. Lower is more conservative.
            top_k: int >= 0; 0 disables.
            top_p: in (0, 1]; 1 disables.
            seed: int for reproducible output, or None.

        Returns:
            A string, or a list of strings if `prompts` is a list.
        """
        single = isinstance(prompts, str)
        chunks = self._generate_ids(prompts, max_length, temperature, top_k, top_p, seed)
        texts = [self.tokens.continuation(self._until_end(row)) for row in chunks]
        return texts[0] if single else texts

    def _generate_ids(self, prompts, length, temperature, top_k, top_p, seed):
        self._check(length, temperature, top_k, top_p)
        prompts = check_texts(prompts, "prompt", blank=True)
        ids, lengths = self.encode_prompts(prompts)
        self._seed(seed)
        tokens, _ = self._decode(ids, lengths, *_as_tensors(length, temperature, top_k, top_p))
        return tokens.numpy()

    def stream(self, prompt, max_length=200, temperature=1.0, top_k=0, top_p=1.0, seed=None, chunk=16):
        """Yield the generated text of one prompt in pieces of `chunk`
        characters, as they are produced (the state carries across pieces).
        """
        length = max_length
        self._check(length, temperature, top_k, top_p)
        ids, lengths = self.encode_prompts(check_texts([prompt], "prompt", blank=True))
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
            piece = self._until_end(tokens[0])
            yield self.tokens.continuation(piece)
            if len(piece) < len(tokens[0]):  # a sentence model wrote [END]
                return

    def _until_end(self, ids):
        """In sentence mode, the ids before the first `[END]`; else all."""
        if self.config.unit != "sentence":
            return ids
        ends = np.flatnonzero(np.asarray(ids) == self.tokens.end_id)
        return ids[: ends[0]] if len(ends) else ids

    @staticmethod
    def _check(length, temperature, top_k, top_p):
        if (
            isinstance(length, bool)
            or not isinstance(length, (int, np.integer))
            or not 0 <= length <= MAX_GENERATE_LENGTH
        ):
            raise UserInputError(f"max_length must be an integer from 0 to {MAX_GENERATE_LENGTH:,}; got {length!r}")
        try:
            check_sampling_args(temperature, top_k, top_p)
        except ValueError as error:
            raise UserInputError(str(error)) from None

    # ---------------------------------------------------------- evaluation
    def evaluate(self, text, batch_size=None):
        """`{"val_loss", "perplexity", "bits_per_char", "per_word_perplexity",
        "tokens", "chars", "words", "unknown_rate"}` on `text` (a string or a
        `Text`): `val_loss` in nats per token and `perplexity` per token,
        over every full window of the text, counted once (in sentence mode:
        every line, from `[BEGIN]` to `[END]`, whole); bits per character
        and perplexity per word over the characters and words those windows
        predict (`tokens.count_words`), so char, word and subword models
        compare; `unknown_rate`, the share of predicted tokens that are
        unknown to the vocabulary."""
        from keras_seq.applications.char_lm.evaluation import evaluate_text

        return evaluate_text(self, text.text if isinstance(text, Text) else text, batch_size)

    def score(self, texts):
        """The probability of each text, by the chain rule over its
        characters (`keras_seq.applications.char_lm.score`): the first one
        given the start character that generation begins with.

        Args:
            texts: a string or a list of strings, each at least one
                character; characters unseen in training score as the
                unknown id (counted in `unknown`).

        Returns:
            For each text (a dict, or a list of dicts for a list):
            `{"text", "log_probability" (natural log), "bits" (-log2 of
            the probability), "perplexity" (per character), "tokens" (its
            characters), "surprisal_bits" (one per character), "unknown"}`.

        Raises:
            UserInputError: no text, an empty text, or one with no known
                character.

        Examples:
            >>> lm.score("To be, or not to be")["bits"]
        """
        from keras_seq.applications.char_lm.score import score_texts

        single = isinstance(texts, str)
        scores = score_texts(self, [texts] if single else list(texts))
        return scores[0] if single else scores

    def encode_batch(self, texts):
        """Strings `(B,)` -> next-character `(inputs, targets, weights)`,
        padded to the longest; padding weighs 0."""
        if self.config.tbptt or self.config.tokens != "char":
            raise UserInputError("fit on raw texts needs a stateless char LM (tbptt off, --tokens char)")
        if not hasattr(self, "_token_graph"):
            from keras_seq.applications.char_lm.token_graph import TokenGraph

            self._token_graph = TokenGraph(self.tokens)  # the export's encoding, its lookup table made once
        ids = self._token_graph.encode(texts)  # ragged (B, T + 1)
        inputs, targets = ids[:, :-1], ids[:, 1:]  # ragged (B, T)
        weights = tf.ones_like(targets, dtype="float32").to_tensor(0.0)  # (B, T): 0 on padding
        return inputs.to_tensor(0), targets.to_tensor(0), weights

    def describe(self, metrics):
        unit = {"char": "char", "word": "word token", "subword": "subword"}[self.config.tokens]
        return (
            f"{metrics['val_loss']:.4f} nats/{unit}, {metrics['bits_per_char']:.4f} bits/char, perplexity "
            f"{metrics['perplexity']:.3f} per {unit} and {metrics['per_word_perplexity']:.2f} per word over "
            f"{metrics['chars']:,} characters ({metrics['unknown_rate']:.2%} unknown {unit}s)"
        )

    def inference_model(self):
        """The model without state (`tbptt` off): a copy with the same
        weights when the trained one is stateful."""
        if not self.config.tbptt:
            return self.model
        model = build_char_lm(self.config.replace(tbptt=False), self.vocabulary)
        model.set_weights(self.model.get_weights())
        return model

    def save(self, model_dir):
        """Write `model_dir/model.keras` (the stateless model, vocabulary
        and config inside; see `Task.save`)."""
        if self.config.tbptt:
            return CharLM(self.inference_model()).save(model_dir)
        return super().save(model_dir)

    # ------------------------------------------------------------ training
    @classmethod
    def read_examples(cls, source, split="train"):
        return read_source(source, split)

    @classmethod
    def training_examples(cls, source, config):
        """By position: the last `validation_split` of the text (or a tfds
        source's own validation split)."""
        corpus = load_corpus(source, config.validation_split, config.sequence_length)
        return Text(corpus.train, corpus.description), Text(corpus.validation, corpus.description)

    @classmethod
    def prepare(cls, config, train, validation):
        vocabulary = TextTokens.build(config.tokens, train.text, config.max_vocab, config.unit)
        config = config.replace(vocab_size=vocabulary.size)
        if config.unit == "sentence":
            return cls._prepare_sentences(config, vocabulary, train, validation)
        train_ids, val_ids = vocabulary.encode(train.text), vocabulary.encode(validation.text)
        if min(len(train_ids), len(val_ids)) < config.sequence_length + 1:
            raise UserInputError(
                f"as {config.tokens} tokens, the training and validation parts have {len(train_ids):,} and "
                f"{len(val_ids):,}, fewer than one window of {config.sequence_length + 1}; use more text or a "
                "shorter --sequence-length"
            )
        if config.tbptt:
            train_data = stream_dataset(train_ids, config.sequence_length, config.batch_size)
            val_data = stream_dataset(val_ids, config.sequence_length, config.batch_size)
        else:
            train_data = window_dataset(train_ids, config.sequence_length, config.batch_size, seed=config.seed)
            val_data = window_dataset(
                val_ids, config.sequence_length, config.batch_size, shuffle=False, drop_remainder=False
            )
        summary = (
            f"Data: {train.description}; {len(train.text):,} training and {len(validation.text):,} "
            f"validation characters, {vocabulary.describe()}. Model: {config.layers} x "
            f"{config.cell.upper()}-{config.units}{', stateful TBPTT' if config.tbptt else ''}."
        )
        return Prepared(config, train_data, val_data, {"vocabulary": vocabulary}, validation, summary)

    @classmethod
    def _prepare_sentences(cls, config, tokens, train, validation):
        parts = [
            [tokens.sentence(line) for line in sentence_lines(part.text, f"{part.description} ({name})")]
            for name, part in (("training part", train), ("validation part", validation))
        ]
        length, (train_rows, val_rows) = config.sequence_length, parts
        train_data = sentence_dataset(train_rows, tokens.start_id, length, config.batch_size, seed=config.seed)
        val_data = sentence_dataset(val_rows, tokens.start_id, length, config.batch_size, False, drop_remainder=False)
        cut = sum(len(r) > length for r in train_rows)
        summary = (
            f"Data: {train.description}; {len(train_rows):,} training and {len(val_rows):,} validation sentences, "
            f"{tokens.describe()}, {cut:,} sentences cut at {length} tokens. Model: {config.layers} x "
            f"{config.cell.upper()}-{config.units}."
        )
        return Prepared(config, train_data, val_data, {"vocabulary": tokens}, validation, summary)

    def training_callbacks(self, prepared, print_fn=print, verbose=1):
        return [ResetStates()] if self.config.tbptt else []

    @classmethod
    def check_strategy(cls, config):
        if config.tbptt:
            raise UserInputError(
                "--tbptt carries each stream's state from one batch to the next, and a strategy splits "
                "every batch among replicas that keep states of their own; train it without --strategy"
            )


class SampleText(keras.callbacks.Callback):
    """Prints a short generated sample at the end of each epoch."""

    def __init__(self, prompt="\n", length=160, temperature=0.8, seed=0, print_fn=print):
        super().__init__()
        self.prompt, self.length, self.temperature, self.seed = prompt, length, temperature, seed
        self.print_fn = print_fn
        self.samples = []
        self.lm = None

    def on_epoch_end(self, epoch, logs=None):
        self.lm = self.lm or CharLM(self.model)  # the model in training, with its vocabulary
        prompt = "" if self.lm.config.unit == "sentence" else self.prompt  # a sentence starts from [BEGIN]
        text = self.lm.generate(prompt, self.length, temperature=self.temperature, seed=self.seed)
        self.samples.append(text)
        self.print_fn(f"\n--- sample after epoch {epoch + 1} ---\n{prompt}{text}\n---")


class ResetStates(keras.callbacks.Callback):
    """Stateful training: fresh states at each epoch and before validation."""

    def _reset(self):
        for layer in self.model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_state()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()

    def on_test_begin(self, logs=None):
        self._reset()


def train(config=None, data="embedded", samples=True, print_fn=print, callbacks=(), **kwargs):
    """Train a char LM on `data` (see `load_corpus`) and save it; with
    `samples`, print a sample after each epoch. The other arguments are
    those of `keras_seq.applications.training.train` (`model_dir`,
    `time_budget`, `verbose`).

    Returns:
        `(char_lm, history)`.
    """
    own = [SampleText(print_fn=print_fn)] if samples else []
    return training.train(CharLM, config, data, print_fn=print_fn, callbacks=own + list(callbacks), **kwargs)


def _as_tensors(length, temperature, top_k, top_p):
    """Tensors, so that new values do not retrace the compiled loop."""
    return (
        tf.constant(int(length), tf.int32),
        tf.constant(float(temperature), tf.float32),
        tf.constant(int(top_k), tf.int32),
        tf.constant(float(top_p), tf.float32),
    )
