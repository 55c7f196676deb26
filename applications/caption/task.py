"""The trained captioner: caption (greedy or beam), attention maps and their
overlay, BLEU / CIDEr / exact match, save/load, export."""

import warnings

import numpy as np
from keras import ops

from keras_seq.applications import training
from keras_seq.applications.caption.config import CaptionerConfig
from keras_seq.applications.caption.data import EMBEDDED_SPLITS, caption_pairs, pairs_dataset, read_image, read_source
from keras_seq.applications.caption.model import CaptionerHyperModel, build_captioner, image_resizer
from keras_seq.applications.caption.preprocessor import CaptionerPreprocessor, fit_image_list, is_one_image
from keras_seq.applications.seq2seq import Seq2SeqTask
from keras_seq.applications.training import Prepared
from keras_seq.data import WordVocabulary, normalize
from keras_seq.data.word_vocabulary import START_ID


class Captioner(Seq2SeqTask):
    """A trained image captioner with its vocabulary: `caption`,
    `attention`, `plot_attention`, `evaluate`, `save`, `load`, `export`.

    Args:
        model: a model from `build_captioner` with its vocabulary.

    Examples:
        >>> captioner = Captioner.load("saved_models/caption")
        >>> captioner.caption(["photo.jpg"], beam_width=5)
    """

    config_class = CaptionerConfig
    builder = staticmethod(build_captioner)
    hypermodel_class = CaptionerHyperModel
    serving = "keras_seq.applications.caption.export:CaptionerModule"
    required_assets = ("words",)
    decode_batch_size = 128  # images per decoding batch

    def make_preprocessor(self):
        return CaptionerPreprocessor(self.config, self.assets["words"])

    def assets_for_builder(self):
        return {"vocabulary": self.vocab}

    @property
    def vocab(self):
        return self.preprocessor.vocab

    @property
    def resize(self):
        return self.preprocessor.resize

    def read_images(self, images):
        """Paths, encoded bytes or arrays (one, or a list) -> uint8 `(B, H, W, 3)`."""
        return self.preprocessor.read_images(images)

    def grid_shape(self):
        """`(rows, columns)` of the encoder's grid."""
        return self.backbone.grid_shape

    # ---------------------------------------------------------------- use
    def caption(self, images, beam_width=None, length_penalty=None, max_length=None, no_repeat_ngram=None):
        """Caption an image or a list of images.

        Args:
            images: a path, encoded bytes (JPEG, PNG, ...) or an array
                `(H, W[, C])`, or a list of them.
            beam_width: 1 for greedy search; default `config.beam_width`.
            length_penalty: GNMT alpha; default `config.length_penalty`.
            no_repeat_ngram: 0, or n >= 2: no caption repeats one of its
                n-grams; default `config.no_repeat_ngram`.
            max_length: words at most; default `config.max_length`.

        Returns:
            The caption (lowercase words separated by spaces), or a list of
            them for a list of images.
        """
        captions = self.caption_pixels(
            self.read_images(images), beam_width, length_penalty, max_length, no_repeat_ngram
        )
        return captions[0] if is_one_image(images) else captions

    def caption_pixels(self, pixels, beam_width=None, length_penalty=None, max_length=None, no_repeat_ngram=None):
        """`caption` of images already read and resized (`read_images`)."""
        options = self.decode_options(beam_width, length_penalty, no_repeat_ngram)
        tokens = self.search_in_batches(pixels, max_length or self.config.max_length, *options)
        return [self.preprocessor.decode(row) for row in tokens]

    def attention(self, image, caption):
        """The attention weights of the decoder over the grid while it reads
        `caption` for `image`: `(words + end, rows, columns)`, and the words."""
        pixels = self.read_images(image)
        words = normalize(caption).split()
        ids = self.vocab.encode(" ".join(words), self.config.max_length, add_end=True)
        previous = np.concatenate([[START_ID], ids[:-1]]).astype("int32")[None]  # (1, T)
        alignments = self.backbone.alignments(pixels, previous)  # (1, T, N)
        rows, columns = self.grid_shape()
        return ops.convert_to_numpy(alignments)[0].reshape(len(ids), rows, columns), words[: len(ids) - 1] + ["[END]"]

    def plot_attention(self, image, path, beam_width=None):
        """Caption `image` and write the attention overlay as a PNG: for
        each word, the image with the weights of that step on top."""
        from keras_seq.applications.flags import check_output_folder
        from keras_seq.plotting import pyplot, save_figure

        check_output_folder(path)  # before the decoding
        plt = pyplot()
        caption = self.caption([image], beam_width=beam_width)[0]
        weights, words = self.attention(image, caption)
        pixels = self.read_images(image)[0]
        height, width = pixels.shape[:2]
        columns = 1 if width > 2 * height else 4  # wide images one under the other
        rows = -(-len(words) // columns)
        fig, axes = plt.subplots(
            rows,
            columns,
            figsize=(
                3.2 * columns * max(1.0, width / height / 2),
                1.2 + rows * 3.0 * height / max(width / columns, height),
            ),
        )
        for k, ax in enumerate(np.ravel(axes)):
            ax.axis("off")
            if k >= len(words):
                continue
            ax.imshow(pixels)
            scaled = weights[k] / max(float(weights[k].max()), 1e-9)  # (rows, columns) in [0, 1]
            overlay = plt.get_cmap("autumn")(
                scaled
            )  # (rows, columns, 4); opaque where the weight is high, clear where it is low
            overlay[..., 3] = 0.8 * scaled
            ax.imshow(overlay, extent=(0, width, height, 0), interpolation="bilinear")
            ax.set_title(words[k], fontsize=10)
        fig.suptitle(caption)
        return save_figure(fig, path)

    # ------------------------------------------------------------ metrics
    def evaluate(self, data, beam_width=None, length_penalty=None, no_repeat_ngram=None):
        """BLEU-1 to BLEU-4 (sacreBLEU, over all references), CIDEr-D and
        the exact-match rate (the caption equals one of its references) of
        greedy and of beam search."""
        from sacrebleu.metrics import BLEU

        from keras_seq.training.cider import corpus_cider

        references = [[normalize(c) for c in captions] for captions in data.captions]
        streams = [
            [refs[k] if k < len(refs) else None for refs in references] for k in range(max(map(len, references)))
        ]
        pixels = self.read_images(data.images)  # read once for both searches
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs, beam_width = self.greedy_and_beam(
                lambda width: self.caption_pixels(pixels, width, length_penalty, no_repeat_ngram=no_repeat_ngram),
                beam_width,
            )
        metrics = {"count": len(data)}
        for name, hypotheses in outputs.items():
            for n in range(1, 5):
                metrics[f"bleu_{n}_{name}"] = round(BLEU(max_ngram_order=n).corpus_score(hypotheses, streams).score, 2)
            metrics[f"cider_{name}"] = round(corpus_cider(hypotheses, references), 4)
            metrics[f"exact_match_{name}"] = round(
                float(np.mean([h in refs for h, refs in zip(hypotheses, references)])), 4
            )
        metrics["beam_width"] = beam_width
        return metrics

    def describe(self, metrics):
        return (
            f"{metrics['count']} images: exact match greedy {metrics['exact_match_greedy']:.1%}, "
            f"beam-{metrics['beam_width']} "
            f"{metrics['exact_match_beam']:.1%}; BLEU-4 {metrics['bleu_4_greedy']} / {metrics['bleu_4_beam']}; "
            f"CIDEr {metrics['cider_greedy']} / {metrics['cider_beam']}"
        )

    def encode_batch(self, images, captions):
        """A batch of raw examples (images `(B, H', W', 3)`, caption strings
        `(B,)`) -> `((images, caption_in), caption_out)`, as in training."""
        return self.preprocessor.encode_batch(images, captions)

    # ------------------------------------------------------------ training
    @classmethod
    def read_examples(cls, source, split="train"):
        return read_source(source, split)

    def evaluation_examples(self, source, split="validation", validation_split=None):
        """As `Task.evaluation_examples`, and the embedded strips' own
        splits: `test` (handwriting never trained on) and `longer` (one
        digit more than any training strip)."""
        if source in (None, "embedded") and split in EMBEDDED_SPLITS:
            return read_source(source, split)
        return super().evaluation_examples(source, split, validation_split)

    @classmethod
    def prepare(cls, config, train, validation):
        captions = [normalize(c) for captions in train.captions for c in captions]
        vocabulary = WordVocabulary.build(captions, config.max_vocab)
        config = config.replace(vocab_size=vocabulary.size)
        resize = image_resizer(config)

        def dataset(data, shuffle):
            images = fit_image_list(resize, [read_image(image) for image in data.images])
            return pairs_dataset(
                images, caption_pairs(data, vocabulary, config.max_length), config.batch_size, shuffle, config.seed
            )

        summary = (
            f"Data: {train.description}; {len(train)} training images ({len(captions)} captions) and "
            f"{len(validation)} validation images; "
            f"vocabulary {vocabulary.size} words; images resized to {config.image_height} x {config.image_width}."
        )
        return Prepared(
            config, dataset(train, True), dataset(validation, False), {"vocabulary": vocabulary}, validation, summary
        )


def train(config=None, data="embedded", **kwargs):
    """Train a captioner on `data` (see `read_source`) and save it. Keyword
    arguments are those of `keras_seq.applications.training.train`.

    Returns:
        `(captioner, history)`; `history.validation_examples` holds the
        held-out images and captions.
    """
    return training.train(Captioner, config, data, **kwargs)
