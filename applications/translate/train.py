"""Training the translator: vocabularies, length-bucketed batches, callbacks."""

import os
import time
import warnings

import numpy as np
import tensorflow as tf

from keras_seq.applications._common import training_callbacks
from keras_seq.applications.translate.config import TranslatorConfig
from keras_seq.applications.translate.data import normalized, read_source, split_validation
from keras_seq.applications.translate.model import build_translator
from keras_seq.applications.translate.text import START_ID, WordVocabulary
from keras_seq.applications.translate.translator import Translator
from keras_seq.training import ScheduledSampling

BUCKETS = (8, 12, 16, 20, 25, 30, 40, 60, 80)


def encode_pairs(sources, targets, source_vocab, target_vocab, max_length):
    """`(source ids, target input ids, target output ids)` lists; sentences
    longer than `max_length` tokens are truncated (counted in a warning)."""
    too_long = sum(len(s.split()) > max_length or len(t.split()) + 1 > max_length for s, t in zip(sources, targets))
    if too_long:
        warnings.warn(f"{too_long} pair(s) longer than {max_length} tokens were truncated", stacklevel=2)
    src = [source_vocab.encode(s, max_length) for s in sources]
    out = [target_vocab.encode(t, max_length, add_end=True) for t in targets]
    tgt_in = [np.concatenate([[START_ID], o[:-1]]).astype(np.int32) for o in out]
    return src, tgt_in, out


def bucketed_dataset(src, tgt_in, tgt_out, batch_size, shuffle, seed):
    """Batches of similar lengths, padded only to each batch's longest
    sentence: much less padding than one fixed length."""
    def generator():
        order = np.random.default_rng(seed).permutation(len(src)) if shuffle else range(len(src))
        for i in order:
            yield (src[i], tgt_in[i]), tgt_out[i]

    spec = tf.TensorSpec([None], tf.int32)
    data = tf.data.Dataset.from_generator(generator, output_signature=((spec, spec), spec))
    if shuffle:
        data = data.shuffle(4096, seed=seed, reshuffle_each_iteration=True)
    data = data.bucket_by_sequence_length(
        lambda inputs, target: tf.maximum(tf.shape(inputs[0])[0], tf.shape(target)[0]),
        bucket_boundaries=list(BUCKETS),
        bucket_batch_sizes=[batch_size] * (len(BUCKETS) + 1),
        pad_to_bucket_boundary=False,
    )
    return data.prefetch(tf.data.AUTOTUNE)


def train(
    config=None,
    data="embedded",
    model_dir=os.path.join("saved_models", "translate"),
    epochs=10,
    time_budget=None,
    validation_split=0.05,
    src_lang="en",
    tgt_lang="de",
    verbose=1,
    print_fn=print,
    callbacks=(),
):
    """Train a translator on `data` and save it to `model_dir`.

    Returns:
        `(translator, history)`.
    """
    config = (config or TranslatorConfig()).replace()
    config.validate()
    pairs = read_source(data, src_lang, tgt_lang, "train")
    train_pairs, val_pairs = split_validation(pairs, validation_split, config.seed)
    sources, targets = normalized(train_pairs)
    source_vocab = WordVocabulary.build(sources, config.max_vocab)
    target_vocab = WordVocabulary.build(targets, config.max_vocab)
    config = config.replace(src_vocab_size=source_vocab.size, tgt_vocab_size=target_vocab.size)
    train_data = bucketed_dataset(*encode_pairs(sources, targets, source_vocab, target_vocab, config.max_length),
                                  config.batch_size, True, config.seed)
    val_sources, val_targets = normalized(val_pairs)
    val_data = bucketed_dataset(*encode_pairs(val_sources, val_targets, source_vocab, target_vocab, config.max_length),
                                config.batch_size, False, config.seed)
    print_fn(f"Data: {pairs.description}; {len(train_pairs)} training and {len(val_pairs)} validation pairs; "
             f"vocabularies {source_vocab.size} / {target_vocab.size} words.")
    model = build_translator(config)
    os.makedirs(model_dir, exist_ok=True)
    sampling = []
    if config.scheduled_sampling:
        sampling.append(ScheduledSampling("linear", rate=config.scheduled_sampling / max(epochs - 1, 1), max_probability=config.scheduled_sampling))
    fit_callbacks = training_callbacks(model_dir, time_budget, sampling + list(callbacks))
    start = time.monotonic()
    history = model.fit(
        train_data, validation_data=val_data, epochs=epochs, callbacks=fit_callbacks, verbose=verbose, shuffle=False
    )  # the pipeline shuffles
    history.seconds = time.monotonic() - start
    translator = Translator(model, source_vocab, target_vocab, config)
    translator.save(model_dir)
    return Translator.load(model_dir), history, val_pairs


__all__ = ["TranslatorConfig", "bucketed_dataset", "encode_pairs", "train"]
