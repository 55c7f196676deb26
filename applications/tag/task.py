"""The trained tagger: tag raw text or tokens, evaluate (entity F1 or token
accuracy), save, load, export."""

import collections
import warnings

import numpy as np

from keras_seq.applications import training
from keras_seq.applications.tag import pictures
from keras_seq.applications.tag.config import INFERENCE_BATCH_SIZE, TaggerConfig
from keras_seq.applications.tag.data import read_source
from keras_seq.applications.tag.embedded import EMBEDDED_SPLITS
from keras_seq.applications.tag.model import TaggerHyperModel, build_tagger
from keras_seq.applications.tag.preprocessor import (
    TaggerPreprocessor,
    build_vocabularies,
    first_rare,
    split_long,
    tag_ids,
)
from keras_seq.applications.task import Task, layers_of
from keras_seq.applications.training import Prepared
from keras_seq.data.tag_schemes import entity_spans
from keras_seq.errors import UserInputError
from keras_seq.layers import CRF
from keras_seq.ops.crf import crf_decode
from keras_seq.training import BestWeights
from keras_seq.training.entity_scores import entity_scores, token_accuracy


class Tagger(Task):
    """A trained sequence tagger with its vocabularies and tags: `tag`,
    `evaluate`, `save`, `load`, `export`.

    Args:
        model: a model from `build_tagger` (its config, tags and
            vocabularies travel inside it).

    Examples:
        >>> tagger = Tagger.load("saved_models/tag")
        >>> tagger.tag("John Smith flew to Paris.")[0]["entities"]
        [{'type': 'PER', 'start': 0, 'end': 10, 'text': 'John Smith'}, ...]
    """

    config_class = TaggerConfig
    builder = staticmethod(build_tagger)
    hypermodel_class = TaggerHyperModel
    serving = "keras_seq.applications.tag.export:TaggerModule"
    litert = "keras_seq.applications.tag.litert:TaggerLiteRT"
    required_assets = ("words", "chars")

    def __init__(self, model):
        super().__init__(model)
        self.preprocessor = TaggerPreprocessor(self.config, self.assets["words"], self.assets["chars"])
        self._viterbi = None  # the compiled decoding, made on first use

    # ------------------------------------------------------------- tagging
    def tokenize(self, texts):
        """Each text's tokens (see `keras_seq.applications.tag.preprocessor`)."""
        import tensorflow as tf

        tokens = self.preprocessor.tokenize(tf.constant(texts))
        return [[t.decode("utf-8") for t in row] for row in tokens.to_list()]

    def predict_tags(self, sentences):
        """Tag names for each sentence (a list of tokens); sentences longer
        than `max_length` are tagged in pieces."""
        pieces, owners = [], []
        for i, words in enumerate(sentences):
            for start in range(0, max(len(words), 1), self.config.max_length):
                pieces.append(words[start : start + self.config.max_length])
                owners.append(i)
        names = self.config.tags
        out = [[] for _ in sentences]
        for start in range(0, len(pieces), INFERENCE_BATCH_SIZE):
            batch = pieces[start : start + INFERENCE_BATCH_SIZE]
            ids = self.decode(self.model.predict_on_batch(list(self.preprocessor.encode_sentences(batch))))
            for words, row, owner in zip(batch, ids, owners[start : start + INFERENCE_BATCH_SIZE]):
                out[owner].extend(names[t] for t in row[: len(words)])
        return out

    def decode(self, outputs):
        """The model's outputs -> tag ids `(B, T)` (Viterbi for the CRF, in
        a compiled graph: run eagerly, its loop costs ten times as much)."""
        if self.config.head != "crf":
            return np.asarray(outputs).argmax(-1)
        if self._viterbi is None:
            import tensorflow as tf

            self._viterbi = tf.function(lambda packed: crf_decode(packed)[0], reduce_retracing=True)
        return np.asarray(self._viterbi(outputs))

    def tag(self, texts):
        """Tag raw strings, or sentences given as lists of tokens.

        Args:
            texts: a string, a list of strings, or a list of token lists.

        Returns:
            One dict per text: `tokens`, `tags`, and for chunk tags
            `entities`, each `{"type", "start", "end", "text"}` (character
            offsets into the text, `end` exclusive; token offsets for
            token lists).
        """
        raw = isinstance(texts, str) or (isinstance(texts, (list, tuple)) and texts and isinstance(texts[0], str))
        if raw:
            texts = _check_texts(texts)
            sentences = self.tokenize(texts)
        else:
            sentences = _check_token_lists(texts)
        tags = self.predict_tags(sentences)
        out = []
        for i, (words, row) in enumerate(zip(sentences, tags)):
            item = {"tokens": list(words), "tags": row}
            if self.config.scheme:
                offsets = _offsets(texts[i], words) if raw else [(k, k + 1) for k in range(len(words))]
                item["entities"] = [
                    {
                        "type": kind,
                        "start": offsets[s][0],
                        "end": offsets[e - 1][1],
                        "text": texts[i][offsets[s][0] : offsets[e - 1][1]] if raw else " ".join(words[s:e]),
                    }
                    for kind, s, e in entity_spans(row, self.config.scheme)
                ]
            out.append(item)
        return out

    def encode_batch(self, texts, tags):
        """A batch of raw `texts` and their space-separated `tags` (one a
        token, as the preprocessor tokenizes the text) -> the model's
        inputs and tag ids (TensorFlow ops; `Task.fit`)."""
        import tensorflow as tf  # data pipeline

        inputs = self.preprocessor.encode(self.preprocessor.tokenize(texts))
        names = tf.constant(self.config.tags)
        table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(names, tf.range(tf.size(names), dtype=tf.int32)), default_value=0
        )
        steps = tf.shape(inputs[0])[1]
        ids = tf.ragged.map_flat_values(table.lookup, tf.strings.split(tags)[:, :steps]).to_tensor(0)  # (B, <=T)
        ids = tf.pad(ids, [[0, 0], [0, steps - tf.shape(ids)[1]]])  # (B, T)
        if self.config.head == "softmax":
            return inputs, ids, tf.cast(inputs[0] != 0, "float32")
        return inputs, ids

    # --------------------------------------------------------------- pictures
    def highlight_html(self, texts):
        """An HTML page of the texts with their entities highlighted, one
        colour per type (the tag under each token for tags without a scheme)."""
        return pictures.highlight_html(self.tag(texts), self.config.tags, self.config.scheme)

    def highlight_png(self, texts, path):
        """A PNG of the same: each token in a box coloured by its entity type."""
        return pictures.highlight_png(self.tag(texts), self.config.tags, self.config.scheme, path)

    def plot_transitions(self, path):
        """A heat map of the CRF's learned transition scores (rows: from,
        columns: to), with the start and end scores beside them."""
        crfs = layers_of(self.model, CRF)
        if not crfs:
            raise UserInputError("this tagger has a softmax head: no transitions to plot")
        return pictures.plot_transitions(crfs[0], self.config.tags, path)

    # ------------------------------------------------------------ evaluation
    def evaluate(self, data):
        """Entity-level precision, recall and F1 (micro, percent; exact span
        and type, as conlleval), per type too, for chunk tags; token
        accuracy always.

        Raises:
            UserInputError: a tag the model never saw.
        """
        unseen = sorted(set(data.tag_set()) - set(self.config.tags))
        if unseen:
            raise UserInputError(
                f"{data.description}: tag(s) {', '.join(unseen[:5])} never seen in training; the model knows "
                f"{', '.join(self.config.tags[:12])}"
            )
        predicted = self.predict_tags(data.sentences)
        metrics = token_accuracy(data.tags, predicted)
        if self.config.scheme:
            metrics.update(entity_scores(data.tags, predicted, self.config.scheme))
        errors = collections.Counter(
            (g, p) for gs, ps in zip(data.tags, predicted) for g, p in zip(gs, ps) if g != p
        ).most_common(5)
        metrics["frequent_errors"] = [{"gold": g, "predicted": p, "count": n} for (g, p), n in errors]
        return metrics

    def describe(self, metrics):
        lines = [f"{'type':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'entities':>10}"]
        for kind, row in metrics.get("per_type", {}).items():
            lines.append(
                f"{kind:<16}{row['precision']:>10.2f}{row['recall']:>10.2f}{row['f1']:>10.2f}{row['entities']:>10}"
            )
        errors = ", ".join(
            f"{e['gold']} as {e['predicted']} ({e['count']})" for e in metrics.get("frequent_errors", [])
        )
        table = ("\n" + "\n".join(lines) if len(lines) > 1 else "") + (
            f"\nmost frequent errors: {errors}" if errors else ""
        )
        line = f"token accuracy {metrics['accuracy']:.2f}% on {metrics['tokens']} tokens"
        if "f1" in metrics:
            line = (
                f"entity F1 {metrics['f1']:.2f} (precision {metrics['precision']:.2f}, recall {metrics['recall']:.2f}) "
                f"over {metrics['entities']} entities; " + line
            )
        return line + table

    # -------------------------------------------------------------- training
    @classmethod
    def read_examples(cls, source, split="train", **data_options):
        return read_source(source, split, **data_options)

    def evaluation_examples(self, source, split="validation", validation_split=None, **data_options):
        """As `Task.evaluation_examples`, and the embedded corpus's `test`
        split (names never seen in training)."""
        if source in (None, "embedded") and split in EMBEDDED_SPLITS:
            return read_source("embedded", split)
        return super().evaluation_examples(source, split, validation_split, **data_options)

    @classmethod
    def prepare(cls, config, train, validation):
        from keras_seq.applications.tag.data import tag_scheme

        tags = train.tag_set()
        unseen = sorted(set(validation.tag_set()) - set(tags))
        if unseen:
            warnings.warn(f"validation tags never in training: {', '.join(unseen)}", stacklevel=2)
            tags = tags + unseen
        config = config.replace(tags=tags, scheme=tag_scheme(tags))
        sentences, rows, split = split_long(train.sentences, train.tags, config.max_length)
        if split:
            warnings.warn(
                f"{split} training sentence(s) longer than {config.max_length} tokens were split", stacklevel=2
            )
        words, chars = build_vocabularies(sentences, config.max_words, config.min_count)
        assets = {"words": words, "chars": chars, "rare_from": first_rare(words, sentences)}
        if config.word_vectors:
            seen_words = len(words)
            words, assets["word_vectors"] = _word_vectors(config.word_vectors, words)
            assets.update(words=words, seen_words=seen_words)
        pre = TaggerPreprocessor(config, words, chars)
        val_sentences, val_rows, _ = split_long(validation.sentences, validation.tags, config.max_length)
        summary = (
            f"Data: {train.description}; {len(sentences)} training and {len(val_sentences)} validation sentences, "
            f"{len(tags)} tags ({config.scheme or 'no chunk scheme'}), {len(words)} words, {len(chars)} characters."
        )
        return Prepared(
            config,
            _dataset(pre, sentences, rows, config, shuffle=True),
            _dataset(pre, val_sentences, val_rows, config, shuffle=False),
            assets,
            validation,
            summary,
        )

    def training_callbacks(self, prepared, print_fn=print, verbose=1):
        if not self.config.patience:
            return []
        monitor, mode = ("val_entity_f1", "max") if self.config.scheme else ("val_loss", "min")
        return [BestWeights(monitor, mode=mode, patience=self.config.patience, print_fn=print_fn)]


MORE_WORDS = 50_000  # words with a pretrained vector but not seen in training, at most


def _word_vectors(source, words):
    """`(words, table)`: the vocabulary, followed by the words the source
    has a vector for beyond it (`"wordllama"` knows many; at most
    `MORE_WORDS`), and their `(len(words), D)` pretrained vectors (zeros
    for padding, the unknown word and words the source lacks)."""
    from keras_seq.applications.tag.preprocessor import word_key
    from keras_seq.data.word_vectors import load_word_vectors

    known, vectors = load_word_vectors(source, words[2:], word_key)
    seen = set(words)
    words = words + [w for w in known if w not in seen][:MORE_WORDS]
    table = np.zeros((len(words), vectors.shape[1]), "float32")
    index = {w: i for i, w in enumerate(words)}
    for word, vector in zip(known, vectors):
        if word in index:
            table[index[word]] = vector
    return words, table


def _dataset(pre, sentences, rows, config, shuffle):
    """Batches of `((word_ids, char_ids, case_ids), tag_ids[, weights])`,
    encoded once (the sentences fit in memory)."""
    import tensorflow as tf  # data pipeline

    if not sentences:
        raise UserInputError("no sentence to train or validate on")
    order = np.argsort([len(s) for s in sentences], kind="stable")  # similar lengths batch together: less padding
    batches = []
    size = config.batch_size if shuffle else INFERENCE_BATCH_SIZE
    for start in range(0, len(order), size):
        index = order[start : start + size]
        batch_sentences = [sentences[i] for i in index]
        inputs = pre.encode_sentences(batch_sentences)
        labels = tag_ids([rows[i] for i in index], config.tags, inputs[0].shape[1])
        weights = (inputs[0] != 0).astype("float32")
        batches.append((inputs, labels, weights) if config.head == "softmax" else (inputs, labels))
    data = tf.data.Dataset.from_generator(
        lambda: iter(batches),
        output_signature=_signature(config.head),
    )
    if shuffle:
        data = data.shuffle(len(batches), seed=config.seed, reshuffle_each_iteration=True)
    return data.apply(tf.data.experimental.assert_cardinality(len(batches))).prefetch(2)


def _signature(head):
    import tensorflow as tf

    inputs = (
        tf.TensorSpec((None, None), tf.int32),
        tf.TensorSpec((None, None, None), tf.int32),
        tf.TensorSpec((None, None), tf.int32),
    )
    labels = tf.TensorSpec((None, None), tf.int32)
    if head == "softmax":
        return inputs, labels, tf.TensorSpec((None, None), tf.float32)
    return inputs, labels


# -------------------------------------------------------------------- inputs
def _check_texts(texts):
    from keras_seq.data import check_texts

    return check_texts(texts)


def _check_token_lists(sentences):
    if isinstance(sentences, (list, tuple)) and not sentences:
        raise UserInputError("no text given")
    if not isinstance(sentences, (list, tuple)):
        raise UserInputError(f"give a text, a list of texts or a list of token lists; got {type(sentences).__name__}")
    for i, words in enumerate(sentences, 1):
        if not isinstance(words, (list, tuple)) or not words or not all(isinstance(w, str) and w for w in words):
            raise UserInputError(f"text {i} is neither a string nor a non-empty list of non-empty strings (tokens)")
    return [list(words) for words in sentences]


def _offsets(text, tokens):
    """`(start, end)` character offsets of each token in `text`, in order."""
    offsets, position = [], 0
    for token in tokens:
        start = text.find(token, position)
        if start < 0:  # cannot happen for our own tokens; a safe fallback
            start = position
        offsets.append((start, start + len(token)))
        position = start + len(token)
    return offsets


def train(config=None, data="embedded", **kwargs):
    """Train a tagger on `data` (see `read_source`) and save it. Keyword
    arguments are those of `keras_seq.applications.training.train`, and
    the data options `word_column`, `tag_column`.

    Returns:
        `(tagger, history)`.
    """
    return training.train(Tagger, config, data, **kwargs)


__all__ = ["Tagger", "entity_scores", "token_accuracy", "train"]
