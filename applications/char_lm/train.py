"""Training the char LM: data, callbacks, resuming, atomic saving."""

import os
import time

import keras

from keras_seq.applications._common import training_callbacks
from keras_seq.applications.char_lm.char_lm import CONFIG_FILE, VOCAB_FILE, CharLM
from keras_seq.applications.char_lm.config import CharLMConfig
from keras_seq.applications.char_lm.data import load_corpus, stream_dataset, window_dataset
from keras_seq.applications.char_lm.model import build_char_lm
from keras_seq.data.char_vocabulary import CharVocabulary

BACKUP_DIR = "backup"  # see training_callbacks


class SampleText(keras.callbacks.Callback):
    """Prints a short generated sample at the end of each epoch."""

    def __init__(self, char_lm, prompt="\n", length=160, temperature=0.8, seed=0, print_fn=print):
        super().__init__()
        self.char_lm = char_lm
        self.prompt, self.length, self.temperature, self.seed = prompt, length, temperature, seed
        self.print_fn = print_fn
        self.samples = []

    def on_epoch_end(self, epoch, logs=None):
        text = self.char_lm.generate(self.prompt, self.length, temperature=self.temperature, seed=self.seed)
        self.samples.append(text)
        self.print_fn(f"\n--- sample after epoch {epoch + 1} ---\n{self.prompt}{text}\n---")


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


def train(
    config=None,
    data="embedded",
    model_dir=os.path.join("saved_models", "char_lm"),
    epochs=20,
    time_budget=None,
    validation_split=0.1,
    verbose=1,
    samples=True,
    print_fn=print,
    callbacks=(),
):
    """Train a char LM on `data` and save it to `model_dir`.

    Resumes from `model_dir/backup` when an earlier run was interrupted (the
    vocabulary and config of that run are reused). Writes TensorBoard logs to
    `model_dir/logs`. The model, vocabulary and config are written only at
    the end, atomically (`CharLM.save`).

    Args:
        config: a `CharLMConfig` (`vocab_size` is set from the data).
        data: see `load_corpus`.
        model_dir: output folder.
        epochs: int, passes over the training text.
        time_budget: seconds, or None. Training stops after the step in
            progress, and the model is saved as usual.
        validation_split: the last fraction of the text held out.
        verbose: 0 quiet, 1 progress bar, 2 a line per epoch.
        samples: print a sample after each epoch.
        print_fn: where the messages go.
        callbacks: extra Keras callbacks for `fit`.

    Returns:
        `(char_lm, history)`: the trained `CharLM` and Keras' `History`.
    """
    config = (config or CharLMConfig()).replace()
    config.validate()
    corpus = load_corpus(data, validation_split, config.sequence_length)  # fails before writing anything
    backup = os.path.join(model_dir, BACKUP_DIR)
    resuming = os.path.isdir(backup) and os.listdir(backup)
    if resuming and os.path.exists(os.path.join(model_dir, ".run-" + VOCAB_FILE)):
        vocabulary = CharVocabulary.load(os.path.join(model_dir, ".run-" + VOCAB_FILE))
        with open(os.path.join(model_dir, ".run-" + CONFIG_FILE), encoding="utf-8") as f:
            config = CharLMConfig.from_json(f.read())
        print_fn(f"Resuming the interrupted run in {backup}.")
    else:
        vocabulary = CharVocabulary.from_text(corpus.train)
        config = config.replace(vocab_size=vocabulary.size)
        os.makedirs(model_dir, exist_ok=True)
        vocabulary.save(os.path.join(model_dir, ".run-" + VOCAB_FILE))
        with open(os.path.join(model_dir, ".run-" + CONFIG_FILE), "w", encoding="utf-8") as f:
            f.write(config.to_json())
    train_ids = vocabulary.encode(corpus.train)
    val_ids = vocabulary.encode(corpus.validation)
    if config.tbptt:
        train_data = stream_dataset(train_ids, config.sequence_length, config.batch_size)
        val_data = stream_dataset(val_ids, config.sequence_length, config.batch_size)
    else:
        train_data = window_dataset(train_ids, config.sequence_length, config.batch_size, seed=config.seed)
        val_data = window_dataset(val_ids, config.sequence_length, config.batch_size, shuffle=False, drop_remainder=False)
    print_fn(
        f"Data: {corpus.description}; {len(corpus.train):,} training and {len(corpus.validation):,} "
        f"validation characters, {vocabulary.size - 1} distinct. Model: {config.layers} x "
        f"{config.cell.upper()}-{config.units}{', stateful TBPTT' if config.tbptt else ''}."
    )
    model = build_char_lm(config)
    char_lm = CharLM(model, vocabulary, config)
    own = ([ResetStates()] if config.tbptt else []) + ([SampleText(char_lm, print_fn=print_fn)] if samples else [])
    callbacks = training_callbacks(model_dir, time_budget, own + list(callbacks))
    start = time.monotonic()
    history = model.fit(
        train_data, validation_data=val_data, epochs=epochs, callbacks=callbacks, verbose=verbose, shuffle=False
    )  # the pipeline shuffles
    history.seconds = time.monotonic() - start
    char_lm.save(model_dir)
    for name in (VOCAB_FILE, CONFIG_FILE):
        try:
            os.remove(os.path.join(model_dir, ".run-" + name))
        except FileNotFoundError:
            pass
    return CharLM.load(model_dir), history
