"""The trained translator: translate (greedy or beam), attention, BLEU, save/load, export."""

import warnings

import numpy as np
from keras import ops

from keras_seq.applications import training
from keras_seq.applications.task import Task
from keras_seq.applications.training import Prepared
from keras_seq.applications.translate.config import TranslatorConfig
from keras_seq.applications.translate.data import (
    bucketed_batches,
    bucketed_dataset,
    encode_pairs,
    normalized,
    read_source,
)
from keras_seq.applications.translate.model import TranslatorHyperModel, build_translator, output_projection
from keras_seq.data import VOCABULARIES, check_texts, detokenize, normalize, repeated_ngram_rate, tf_normalize
from keras_seq.data.word_vocabulary import END_ID, START_ID, UNK
from keras_seq.decoding import EncoderDecoderSearch, attention_decoder_step
from keras_seq.layers import TiedEmbedding
from keras_seq.training import ScheduledSampling

DECODE_BATCH_SIZE = 256  # sentences per decoding batch


class Translator(Task):
    """A trained encoder-decoder with its vocabularies: `translate`,
    `attention`, `plot_attention`, `evaluate`, `save`, `load`, `export`.

    Decoding runs the model's own layers: the encoder once over the source,
    then the attention decoder cell one token at a time inside a compiled
    `keras_seq.decoding` loop (greedy or beam search).

    Args:
        model: a model from `build_translator` with its vocabularies.

    Example:
    >>> tr = Translator.load("saved_models/translate")
    >>> tr.translate(["A man rides a bike."], beam_width=5)
    """

    config_class = TranslatorConfig
    builder = staticmethod(build_translator)
    hypermodel_class = TranslatorHyperModel
    serving = "keras_seq.applications.translate.export:TranslatorModule"
    required_assets = ("source_words", "target_words")

    def __init__(self, model):
        super().__init__(model)
        config = self.config
        vocabulary = VOCABULARIES[config.vocabulary]
        self.source_vocab = vocabulary(self.assets["source_words"])
        self.target_vocab = vocabulary(self.assets["target_words"])
        self.source_embedding = model.get_layer("source_embedding")
        self.encoders = [model.get_layer(f"encoder_{i}") for i in range(config.encoder_layers)]
        self.bridges = [model.get_layer(f"bridge_{n}") for n in (["h", "c"] if config.cell == "lstm" else ["h"])]
        self.target_embedding = model.get_layer("target_embedding")
        self.decoder = model.get_layer("decoder")
        self.cell = self.decoder.cell
        tied = isinstance(self.target_embedding, TiedEmbedding)
        self.project = output_projection(self.target_embedding) if tied else model.get_layer("logits")
        self.step = attention_decoder_step(self.cell, self.target_embedding, self.project)
        self.search = EncoderDecoderSearch(self.encode, self.step, START_ID, END_ID)

    # ------------------------------------------------------------ pieces
    def encode(self, source_ids):
        """`(B, Ts)` ids -> prepared memory and the decoder's initial state."""
        mask = source_ids != 0
        x = self.source_embedding(source_ids)
        final = None
        for encoder in self.encoders:
            outputs = encoder(x, mask=mask)
            x, final = outputs[0], outputs[1:]
        half = len(final) // 2
        states = [
            bridge(ops.concatenate([final[k], final[half + k]], axis=-1)) for k, bridge in enumerate(self.bridges)
        ]
        memory = self.cell.prepare_memory(x, mask)
        return memory, self.cell.complete_state(states, memory)

    def _beam_ids(self, beam_width):
        return self.search.beam_function(beam_width)

    # ------------------------------------------------------------- input
    def encode_sources(self, sentences):
        """Normalized, id-encoded, right-padded sources `(B, Ts)`; empty
        sentences are an error, longer ones are truncated with a warning."""
        normalized = [normalize(s, self.config.lowercase) for s in check_texts(sentences, "sentence")]
        limit = self.config.max_length
        encoded = [self.source_vocab.encode(s) for s in normalized]
        long = [i + 1 for i, e in enumerate(encoded) if len(e) > limit]
        if long:
            warnings.warn(
                f"{len(long)} sentence(s) (first: number {long[0]}) are longer than {limit} tokens and were truncated",
                stacklevel=3,
            )
        encoded = [e[:limit] for e in encoded]
        ids = np.zeros((len(encoded), max(len(e) for e in encoded)), np.int32)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = e
        return ids

    # ---------------------------------------------------------------- use
    def translate(
        self,
        sentences,
        beam_width=None,
        length_penalty=None,
        max_length=None,
        return_attention=False,
        no_repeat_ngram=None,
    ):
        """Translate a sentence or a list of sentences.

        Args:
            sentences: str or list of str.
            beam_width: 1 for greedy search; default `config.beam_width`.
            length_penalty: GNMT alpha; default `config.length_penalty`.
            no_repeat_ngram: 0, or n >= 2: no translation repeats one of its
                n-grams; default `config.no_repeat_ngram`.
            max_length: target tokens at most; default `2 * max_length`.
            return_attention: also return, for each sentence, the attention
                weights `(target tokens + end, source tokens)` and the tokens.

        Returns:
            The translations (str or list), and with `return_attention` a
            list of `(source_tokens, target_tokens, weights)`.
        """
        single = isinstance(sentences, str)
        ids = self.encode_sources(sentences)
        beam_width = self.config.beam_width if beam_width is None else beam_width
        alpha = self.config.length_penalty if length_penalty is None else length_penalty
        ban = self.config.no_repeat_ngram if no_repeat_ngram is None else no_repeat_ngram
        limit = max_length or 2 * self.config.max_length
        outputs = []
        for start in range(0, len(ids), DECODE_BATCH_SIZE):
            batch = ids[start : start + DECODE_BATCH_SIZE]
            batch = batch[:, : max(1, int((batch != 0).sum(1).max()))]  # no all-padding columns
            outputs.append(self.search(batch, limit, beam_width, alpha, ban))
        tokens = np.concatenate(outputs)
        texts = [detokenize(self.target_vocab.decode(row)) for row in tokens]
        result = texts[0] if single else texts
        if not return_attention:
            return result
        return result, self.attention(ids, tokens)

    def attention(self, source_ids, target_ids):
        """Teacher-force the decoder on `target_ids` and return, per
        sentence, `(source_tokens, target_tokens, weights)`."""
        out = []
        for src, tgt in zip(source_ids, target_ids):
            src = src[src != 0]
            end = np.where(tgt == END_ID)[0]
            tgt = tgt[: end[0] + 1] if len(end) else tgt
            memory, state = self.encode(src[None])
            previous = np.concatenate([[START_ID], tgt[:-1]]).astype(np.int32)[None]
            self.cell.hand_over(memory)
            try:
                weights = []
                for t in range(previous.shape[1]):
                    output, state = self.cell(self.target_embedding(previous[:, t]), state)
                    weights.append(ops.convert_to_numpy(self.cell.split_output(output)[1])[0])
            finally:
                self.cell.hand_over(None)
            source_tokens = [self.source_vocab.tokens[i] for i in src]
            target_tokens = [self.target_vocab.tokens[i] for i in tgt]
            out.append((source_tokens, target_tokens, np.stack(weights)))
        return out

    def plot_attention(self, sentence, path, beam_width=None):
        """Translate `sentence` and write its attention heat map as a PNG."""
        from keras_seq.applications.flags import check_output_folder
        from keras_seq.plotting import save_figure

        check_output_folder(path)
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        translation, ((source_tokens, target_tokens, weights),) = self.translate(
            [sentence], beam_width=beam_width, return_attention=True
        )
        fig, ax = plt.subplots(figsize=(1 + 0.5 * len(source_tokens), 1 + 0.4 * len(target_tokens)))
        ax.imshow(weights, cmap="viridis", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(source_tokens)), source_tokens, rotation=60, ha="right")
        ax.set_yticks(range(len(target_tokens)), target_tokens)
        ax.set_xlabel("source")
        ax.set_ylabel("translation")
        ax.set_title(translation[0][:60])
        return save_figure(fig, path)

    def evaluate(self, pairs, beam_width=None, length_penalty=None, no_repeat_ngram=None):
        """Corpus BLEU and chrF (sacreBLEU) of greedy and beam search, the
        share of translations that repeat a word trigram, and the count of
        `[UNK]` words in them."""
        import sacrebleu

        references = [detokenize(normalize(t, self.config.lowercase)) for t in pairs.targets]
        beam_width = self.config.beam_width if beam_width is None else beam_width
        metrics = {"count": len(pairs)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, width in (("greedy", 1), ("beam", beam_width)):
                hypotheses = self.translate(
                    pairs.sources, beam_width=width, length_penalty=length_penalty, no_repeat_ngram=no_repeat_ngram
                )
                metrics[f"bleu_{name}"] = round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 2)
                metrics[f"chrf_{name}"] = round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2)
                metrics[f"repeated_3gram_{name}"] = round(repeated_ngram_rate(hypotheses, 3), 4)
                metrics[f"unknown_words_{name}"] = sum(h.split().count(UNK) for h in hypotheses)
        metrics["beam_width"] = beam_width
        return metrics

    def encode_batch(self, sources, targets):
        """Sentence strings `(B,)` -> `((source ids, target input ids),
        target ids)`, normalized and looked up as in training."""
        import tensorflow as tf  # data pipeline

        if not hasattr(self, "_tables"):
            self._tables = (self.source_vocab.lookup_table(), self.target_vocab.lookup_table())
        source_table, target_table = self._tables
        limit = self.config.max_length
        lowercase = self.config.lowercase
        src = self.source_vocab.tf_encode(source_table, tf.strings.split(tf_normalize(sources, lowercase)))[
            :, :limit
        ]  # ragged (B, Ts)
        tgt = self.target_vocab.tf_encode(target_table, tf.strings.split(tf_normalize(targets, lowercase)))[
            :, : limit - 1
        ]  # ragged (B, Tt - 1)
        batch = tf.shape(sources)[0]
        end = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], END_ID))
        start = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], START_ID))
        tgt_out = tf.concat([tgt, end], axis=1)  # (B, Tt)
        tgt_in = tf.concat([start, tgt], axis=1)  # (B, Tt)
        return (src.to_tensor(0), tgt_in.to_tensor(0)), tgt_out.to_tensor(0)

    def describe(self, metrics):
        return (
            f"{metrics['count']} pairs: BLEU greedy {metrics['bleu_greedy']}, beam-{metrics['beam_width']} "
            f"{metrics['bleu_beam']}; chrF greedy {metrics['chrf_greedy']}, beam {metrics['chrf_beam']}; "
            f"a repeated 3-gram in {metrics['repeated_3gram_greedy']:.1%} / {metrics['repeated_3gram_beam']:.1%}"
        )

    # ------------------------------------------------------------ training
    @classmethod
    def read_examples(cls, source, split="train", src_lang="en", tgt_lang="de"):
        return read_source(source, src_lang, tgt_lang, split)

    @classmethod
    def prepare(cls, config, train, validation):
        sources, targets = normalized(train, config.lowercase)
        vocabulary = VOCABULARIES[config.vocabulary]
        source_vocab = vocabulary.build(sources, config.max_vocab)
        target_vocab = vocabulary.build(targets, config.max_vocab)
        config = config.replace(src_vocab_size=source_vocab.size, tgt_vocab_size=target_vocab.size)
        encoded = encode_pairs(sources, targets, source_vocab, target_vocab, config.max_length)
        train_data = bucketed_dataset(*encoded, config.batch_size, True, config.seed)
        val_sources, val_targets = normalized(validation, config.lowercase)
        val_data = bucketed_dataset(
            *encode_pairs(val_sources, val_targets, source_vocab, target_vocab, config.max_length),
            config.batch_size,
            False,
            config.seed,
        )
        summary = (
            f"Data: {train.description}; {len(train)} training and {len(validation)} validation pairs; "
            f"{config.vocabulary} vocabularies of {source_vocab.size} / {target_vocab.size} tokens."
        )
        steps = bucketed_batches(encoded[0], encoded[2], config.batch_size)
        return Prepared(
            config,
            train_data,
            val_data,
            {"source_vocab": source_vocab, "target_vocab": target_vocab},
            validation,
            summary,
            steps=steps,
        )

    def training_callbacks(self, prepared, print_fn=print, verbose=1):
        if not self.config.scheduled_sampling:
            return []
        epochs, top = (
            self.config.epochs_to_run(),
            self.config.scheduled_sampling,
        )  # under a budget alone: over the default epochs
        return [ScheduledSampling("linear", rate=top / max(epochs - 1, 1), max_probability=top)]


def train(config=None, data="embedded", **kwargs):
    """Train a translator on `data` (see `read_source`) and save it.
    Keyword arguments are those of `keras_seq.applications.training.train`,
    and the data options `src_lang`, `tgt_lang`.

    Returns:
        `(translator, history)`; `history.validation_examples` holds the
        held-out `Pairs`.
    """
    return training.train(Translator, config, data, **kwargs)
