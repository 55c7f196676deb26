"""The trained captioner: caption (greedy or beam), attention maps and their
overlay, BLEU / CIDEr / exact match, save/load, export."""

import warnings

import keras
import numpy as np
from keras import ops

from keras_seq.applications import training
from keras_seq.applications.caption.config import CaptionerConfig
from keras_seq.applications.caption.data import EMBEDDED_SPLITS, caption_pairs, pairs_dataset, read_image, read_source
from keras_seq.applications.caption.model import CaptionerHyperModel, build_captioner, image_resizer
from keras_seq.applications.task import Task
from keras_seq.applications.training import Prepared
from keras_seq.data import WordVocabulary, normalize, tf_normalize
from keras_seq.data.word_vocabulary import END_ID, START_ID
from keras_seq.decoding import EncoderDecoderSearch, attention_decoder_step
from keras_seq.errors import UserInputError

DECODE_BATCH_SIZE = 128  # images per decoding batch


def fit_images(resize, images):
    """Images `(B, H', W', 3)` (a tensor, or an array) -> uint8 `(B, H, W,
    3)` at the model's size: the same resizing in training, `caption` and
    the export."""
    return ops.cast(ops.round(ops.clip(resize(images), 0, 255)), "uint8")


def fit_image_list(resize, images, batch=256):
    """`fit_images` of a list of arrays of any sizes, as a numpy array:
    images of one size are resized together, a batch at a time."""
    out = [None] * len(images)
    by_shape = {}
    for i, image in enumerate(images):
        by_shape.setdefault(image.shape, []).append(i)
    for index in by_shape.values():
        for start in range(0, len(index), batch):
            chunk = index[start : start + batch]
            fitted = ops.convert_to_numpy(fit_images(resize, np.stack([images[i] for i in chunk])))
            for i, image in zip(chunk, fitted):
                out[i] = image
    return np.stack(out)


class Captioner(Task):
    """A trained image captioner with its vocabulary: `caption`,
    `attention`, `plot_attention`, `evaluate`, `save`, `load`, `export`.

    Decoding runs the model's own layers: the encoder once over the images,
    then the attention decoder cell one word at a time inside a compiled
    `keras_seq.decoding` loop (greedy or beam search).

    Args:
        model: a model from `build_captioner` with its vocabulary.

    Example:
    >>> captioner = Captioner.load("saved_models/caption")
    >>> captioner.caption(["photo.jpg"], beam_width=5)
    """

    config_class = CaptionerConfig
    builder = staticmethod(build_captioner)
    hypermodel_class = CaptionerHyperModel
    serving = "keras_seq.applications.caption.export:CaptionerModule"
    required_assets = ("words",)

    def __init__(self, model):
        super().__init__(model)
        self.vocab = WordVocabulary(self.assets["words"])
        config = self.config
        states = (
            [model.get_layer(f"init_{n}").output for n in (["h", "c"] if config.cell == "lstm" else ["h"])]
            if config.init_from_mean
            else []
        )
        self.encoder = keras.Model(model.inputs[0], [model.get_layer("features").output, *states], name="encoder")
        self.embedding = model.get_layer("word_embedding")
        self.decoder = model.get_layer("decoder")
        self.cell = self.decoder.cell
        self.project = model.get_layer("logits")
        self.resize = image_resizer(config)
        self.step = attention_decoder_step(self.cell, self.embedding, self.project)
        self.search = EncoderDecoderSearch(self.encode, self.step, START_ID, END_ID)

    # ------------------------------------------------------------ pieces
    def encode(self, images):
        """uint8 images `(B, H, W, 3)` -> prepared memory and the decoder's initial state."""
        grid, *states = self.encode_grid(images)  # (B, N, C)
        memory = self.cell.prepare_memory(grid)
        return memory, self.cell.complete_state(states, memory)  # zeros without init_from_mean

    def encode_grid(self, images):
        """uint8 images -> `[grid (B, N, C), *initial states]` (no states
        without `init_from_mean`). Batch normalization runs in inference
        mode: a call without `training=False` would normalize by the batch."""
        outputs = self.encoder(images, training=False)
        return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]

    def read_images(self, images):
        """Paths, encoded bytes or arrays (one, or a list) -> uint8 `(B, H, W, 3)`."""
        if isinstance(images, (str, bytes, bytearray)) or (isinstance(images, np.ndarray) and images.ndim in (2, 3)):
            images = [images]
        images = list(images)
        if not images:
            raise UserInputError("no image given")
        return fit_image_list(self.resize, [read_image(image) for image in images])

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
        single = isinstance(images, (str, bytes, bytearray)) or (
            isinstance(images, np.ndarray) and images.ndim in (2, 3)
        )
        captions = self.caption_pixels(
            self.read_images(images), beam_width, length_penalty, max_length, no_repeat_ngram
        )
        return captions[0] if single else captions

    def caption_pixels(self, pixels, beam_width=None, length_penalty=None, max_length=None, no_repeat_ngram=None):
        """`caption` of images already read and resized (`read_images`)."""
        beam_width = self.config.beam_width if beam_width is None else beam_width
        alpha = self.config.length_penalty if length_penalty is None else length_penalty
        ban = self.config.no_repeat_ngram if no_repeat_ngram is None else no_repeat_ngram
        limit = max_length or self.config.max_length
        tokens = np.concatenate(
            [
                self.search(pixels[i : i + DECODE_BATCH_SIZE], limit, beam_width, alpha, ban)
                for i in range(0, len(pixels), DECODE_BATCH_SIZE)
            ]
        )
        return [self.vocab.decode(row) for row in tokens]

    def attention(self, image, caption):
        """The attention weights of the decoder over the grid while it reads
        `caption` for `image`: `(words + end, rows, columns)`, and the words."""
        pixels = self.read_images(image)
        words = normalize(caption).split()
        ids = self.vocab.encode(" ".join(words), self.config.max_length, add_end=True)
        previous = np.concatenate([[START_ID], ids[:-1]]).astype("int32")[None]  # (1, T)
        grid, *states = self.encode_grid(pixels)
        _, alignments = self.decoder(
            self.embedding(previous), grid, initial_state=states or None, training=False
        )  # (1, T, N)
        rows, columns = self.grid_shape()
        return ops.convert_to_numpy(alignments)[0].reshape(len(ids), rows, columns), words[: len(ids) - 1] + ["[END]"]

    def grid_shape(self):
        """`(rows, columns)` of the encoder's grid."""
        shape = self.model.get_layer("grid" if self.config.position_embedding else "features").input.shape
        return shape[1], shape[2]

    def plot_attention(self, image, path, beam_width=None):
        """Caption `image` and write the attention overlay as a PNG: for
        each word, the image with the weights of that step on top."""
        from keras_seq.applications.flags import check_output_folder
        from keras_seq.plotting import save_figure

        check_output_folder(path)
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

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
        beam_width = self.config.beam_width if beam_width is None else beam_width
        metrics = {"count": len(data)}
        pixels = self.read_images(data.images)  # read once for both searches
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, width in (("greedy", 1), ("beam", beam_width)):
                hypotheses = self.caption_pixels(
                    pixels, beam_width=width, length_penalty=length_penalty, no_repeat_ngram=no_repeat_ngram
                )
                for n in range(1, 5):
                    metrics[f"bleu_{n}_{name}"] = round(
                        BLEU(max_ngram_order=n).corpus_score(hypotheses, streams).score, 2
                    )
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
        import tensorflow as tf  # data pipeline

        if not hasattr(self, "_table"):
            self._table = self.vocab.lookup_table()
        words = tf.strings.split(tf_normalize(captions))[:, : self.config.max_length - 1]  # ragged (B, T - 1)
        ids = tf.ragged.map_flat_values(self._table.lookup, words)
        batch = tf.shape(captions)[0]
        end = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], END_ID))
        start = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], START_ID))
        pixels = fit_images(self.resize, images)  # one size: the batch's
        return (pixels, tf.concat([start, ids], axis=1).to_tensor(0)), tf.concat([ids, end], axis=1).to_tensor(0)

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
