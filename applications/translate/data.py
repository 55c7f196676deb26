"""Sentence pairs for the translator: files, TSV, tfds, embedded."""

import dataclasses
import datetime
import os
import warnings

import numpy as np

from keras_seq.applications.examples import Examples
from keras_seq.data import load_tfds, normalize, read_lines, seeded_split
from keras_seq.data.word_vocabulary import START_ID
from keras_seq.errors import UserInputError


@dataclasses.dataclass
class Pairs(Examples):
    """Aligned source and target sentences (raw text) and their origin."""

    aligned = ("sources", "targets")

    sources: list
    targets: list
    description: str


def _find(prefix, lang):
    for candidate in (f"{prefix}.{lang}", f"{prefix}.{lang}.gz"):
        if os.path.exists(candidate):
            return candidate
    raise UserInputError(f"no file {prefix}.{lang} (or .gz) for language {lang!r}")


def _clean(sources, targets, description):
    """Drop pairs with an empty side (counted in a warning)."""
    keep = [i for i, (s, t) in enumerate(zip(sources, targets)) if s.strip() and t.strip()]
    dropped = len(sources) - len(keep)
    if dropped:
        warnings.warn(f"{description}: skipped {dropped} pair(s) with an empty side", stacklevel=3)
    if not keep:
        raise UserInputError(f"{description}: no sentence pairs")
    return Pairs([sources[i].strip() for i in keep], [targets[i].strip() for i in keep], description)


def read_parallel(prefix, src_lang, tgt_lang):
    """Two aligned files `PREFIX.SRC` and `PREFIX.TGT` (optionally `.gz`)."""
    src_path, tgt_path = _find(prefix, src_lang), _find(prefix, tgt_lang)
    sources, targets = read_lines(src_path), read_lines(tgt_path)
    if len(sources) != len(targets):
        raise UserInputError(
            f"{src_path} has {len(sources)} lines but {tgt_path} has {len(targets)}: parallel files must align line "
            "by line"
        )
    return _clean(sources, targets, f"{prefix}.{{{src_lang},{tgt_lang}}}")


def read_tsv(path):
    """`source<TAB>target[<TAB>...]` lines (the Anki/Tatoeba format)."""
    sources, targets = [], []
    for number, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise UserInputError(f"{path}, line {number}: expected source<TAB>target")
        sources.append(fields[0])
        targets.append(fields[1])
    return _clean(sources, targets, path)


def read_tfds(name, split, src_lang, tgt_lang):
    examples = load_tfds(name, split)
    keys = list(examples[0])
    src_key = src_lang if src_lang in keys else keys[0]
    tgt_key = tgt_lang if tgt_lang in keys else keys[-1]
    return _clean(
        [e[src_key].decode("utf-8") for e in examples],
        [e[tgt_key].decode("utf-8") for e in examples],
        f"tfds:{name} ({split})",
    )


def embedded_pairs(count=12000, seed=0):
    """English -> German dates written out by Babel (CLDR data).

    `"Friday, March 5, 2021" -> "Freitag, 5. März 2021"`,
    `"March 5, 2021" -> "5. März 2021"`, `"Mar 5, 2021" -> "05.03.2021"`:
    day and month swap places, month names and weekdays change, and the
    short form turns words into digits, so a model must learn reordering
    and a small dictionary. Generated reproducibly, no download.
    """
    from babel.dates import format_date

    rng = np.random.default_rng(seed)
    start = datetime.date(1900, 1, 1).toordinal()
    end = datetime.date(2099, 12, 31).toordinal()
    sources, targets = [], []
    for _ in range(count):
        day = datetime.date.fromordinal(int(rng.integers(start, end)))
        style = ("full", "long", "medium")[int(rng.integers(3))]
        sources.append(format_date(day, format=style, locale="en"))
        targets.append(format_date(day, format=style, locale="de"))
    return Pairs(sources, targets, "embedded: English -> German dates (Babel)")


def read_source(source="embedded", src_lang="en", tgt_lang="de", split="train"):
    """Read one source of sentence pairs.

    Args:
        source: `"embedded"`; `tfds:NAME` (e.g. `tfds:ted_hrlr_translate/pt_to_en`,
            with `split`); a `.tsv`/`.txt` file of `source<TAB>target` lines;
            or a prefix `PATH` such that `PATH.SRC` and `PATH.TGT` exist
            (e.g. `data/train` for `data/train.en` and `data/train.de`).
        src_lang, tgt_lang: language suffixes / tfds feature names.
        split: tfds split.
    """
    if source == "embedded":
        return embedded_pairs()
    if source.startswith("tfds:"):
        return read_tfds(source[len("tfds:") :], split, src_lang, tgt_lang)
    if os.path.isfile(source):
        return read_tsv(source)
    if os.path.exists(f"{source}.{src_lang}") or os.path.exists(f"{source}.{src_lang}.gz"):
        return read_parallel(source, src_lang, tgt_lang)
    raise UserInputError(
        f"no such data: {source} (give a TSV file, a prefix with .{src_lang}/.{tgt_lang} files, tfds:NAME or embedded)"
    )


def split_validation(pairs, fraction, seed):
    """A seeded random `(train, validation)` split."""
    kept, held_out = seeded_split(len(pairs), fraction, seed, pairs.description)
    return pairs.subset(kept), pairs.subset(held_out)


def normalized(pairs, lowercase=True):
    return [normalize(s, lowercase) for s in pairs.sources], [normalize(t, lowercase) for t in pairs.targets]


BUCKETS = (8, 12, 16, 20, 25, 30, 40, 60, 80)


def encode_pairs(sources, targets, source_vocab, target_vocab, max_length):
    """`(source ids, target input ids, target output ids)` lists; sentences
    longer than `max_length` tokens are truncated (counted in a warning)."""
    src = [source_vocab.encode(s) for s in sources]
    out = [target_vocab.encode(t, add_end=True) for t in targets]
    too_long = sum(len(s) > max_length or len(o) > max_length for s, o in zip(src, out))
    if too_long:
        warnings.warn(f"{too_long} pair(s) longer than {max_length} tokens were truncated", stacklevel=2)
    src = [s[:max_length] for s in src]
    out = [o if len(o) <= max_length else np.append(o[: max_length - 1], o[-1]) for o in out]  # the end token stays
    tgt_in = [np.concatenate([[START_ID], o[:-1]]).astype(np.int32) for o in out]
    return src, tgt_in, out


def bucketed_batches(src, tgt_out, batch_size):
    """How many batches `bucketed_dataset` gives an epoch (TensorFlow cannot
    tell: a bucket's batch closes when it is full, or at the end of the
    data): each bucket of lengths gives `ceil(pairs / batch_size)`."""
    lengths = np.maximum([len(s) for s in src], [len(t) for t in tgt_out])  # (P,)
    buckets = np.searchsorted(BUCKETS, lengths, side="right")  # a length equal to a boundary goes up, as in tf.data
    counts = np.bincount(buckets, minlength=len(BUCKETS) + 1)
    return int(sum(-(-int(c) // batch_size) for c in counts))


def bucketed_dataset(src, tgt_in, tgt_out, batch_size, shuffle, seed):
    """Batches of similar lengths, padded only to each batch's longest
    sentence: much less padding than one fixed length."""
    import tensorflow as tf  # data pipeline

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
