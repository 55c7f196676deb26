"""The trained translator: translate (greedy or beam), attention, BLEU, save/load, export."""

import warnings

import numpy as np
from keras import ops

from keras_seq.applications import training
from keras_seq.applications.seq2seq import Seq2SeqTask
from keras_seq.applications.training import Prepared
from keras_seq.applications.translate.config import TranslatorConfig
from keras_seq.applications.translate.data import (
    bucketed_batches,
    bucketed_dataset,
    encode_pairs,
    normalized,
    read_source,
)
from keras_seq.applications.translate.model import TranslatorHyperModel, build_translator
from keras_seq.applications.translate.preprocessor import TranslatorPreprocessor
from keras_seq.data import VOCABULARIES, repeated_ngram_rate
from keras_seq.data.word_vocabulary import END_ID, START_ID, UNK
from keras_seq.training import ScheduledSampling


class Translator(Seq2SeqTask):
    """A trained encoder-decoder with its vocabularies: `translate`,
    `attention`, `plot_attention`, `evaluate`, `save`, `load`, `export`.

    Args:
        model: a model from `build_translator` with its vocabularies.

    Examples:
        >>> tr = Translator.load("saved_models/translate")
        >>> tr.translate(["A man rides a bike."], beam_width=5)
    """

    config_class = TranslatorConfig
    builder = staticmethod(build_translator)
    hypermodel_class = TranslatorHyperModel
    serving = "keras_seq.applications.translate.export:TranslatorModule"
    required_assets = ("source_words", "target_words")

    def make_preprocessor(self):
        return TranslatorPreprocessor(self.config, self.assets["source_words"], self.assets["target_words"])

    def assets_for_builder(self):
        return {"source_vocab": self.source_vocab, "target_vocab": self.target_vocab}

    @property
    def source_vocab(self):
        return self.preprocessor.source_vocab

    @property
    def target_vocab(self):
        return self.preprocessor.target_vocab

    def encode_sources(self, sentences):
        """Normalized, id-encoded, right-padded sources `(B, Ts)` (see
        `TranslatorPreprocessor.encode_sources`)."""
        return self.preprocessor.encode_sources(sentences)

    def _beam_ids(self, beam_width):
        return self.search.beam_function(beam_width)

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
        options = self.decode_options(beam_width, length_penalty, no_repeat_ngram)
        limit = max_length or 2 * self.config.max_length
        tokens = self.search_in_batches(ids, limit, *options, trim=_without_padding_columns)
        texts = [self.preprocessor.decode(row) for row in tokens]
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
            previous = np.concatenate([[START_ID], tgt[:-1]]).astype(np.int32)[None]  # (1, T)
            weights = ops.convert_to_numpy(self.backbone.alignments(src[None], previous))[0]  # (T, Ts)
            source_tokens = [self.source_vocab.tokens[i] for i in src]
            target_tokens = [self.target_vocab.tokens[i] for i in tgt]
            out.append((source_tokens, target_tokens, weights))
        return out

    def plot_attention(self, sentence, path, beam_width=None):
        """Translate `sentence` and write its attention heat map as a PNG."""
        from keras_seq.applications.flags import check_output_folder
        from keras_seq.plotting import pyplot, save_figure

        check_output_folder(path)  # before the decoding
        plt = pyplot()
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

        references = self.preprocessor.normalized_targets(pairs.targets)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs, beam_width = self.greedy_and_beam(
                lambda width: self.translate(pairs.sources, width, length_penalty, no_repeat_ngram=no_repeat_ngram),
                beam_width,
            )
        metrics = {"count": len(pairs)}
        for name, hypotheses in outputs.items():
            metrics[f"bleu_{name}"] = round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 2)
            metrics[f"chrf_{name}"] = round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2)
            metrics[f"repeated_3gram_{name}"] = round(repeated_ngram_rate(hypotheses, 3), 4)
            metrics[f"unknown_words_{name}"] = sum(h.split().count(UNK) for h in hypotheses)
        metrics["beam_width"] = beam_width
        return metrics

    def encode_batch(self, sources, targets):
        """Sentence strings `(B,)` -> `((source ids, target input ids),
        target ids)`, normalized and looked up as in training."""
        return self.preprocessor.encode_batch(sources, targets)

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


def _without_padding_columns(ids):
    """A batch of source ids without the columns that are padding in every row."""
    return ids[:, : max(1, int((ids != 0).sum(1).max()))]


def train(config=None, data="embedded", **kwargs):
    """Train a translator on `data` (see `read_source`) and save it.
    Keyword arguments are those of `keras_seq.applications.training.train`,
    and the data options `src_lang`, `tgt_lang`.

    Returns:
        `(translator, history)`; `history.validation_examples` holds the
        held-out `Pairs`.
    """
    return training.train(Translator, config, data, **kwargs)
