"""SavedModel export of a captioner: encoded images in, captions out."""

import tensorflow as tf

from keras_seq.applications.caption.task import fit_images
from keras_seq.data.word_vocabulary import END_ID, START_ID
from keras_seq.export import beam_search_text


class CaptionerModule(tf.Module):
    """Serving module: image decoding and resizing, the encoder, beam search
    and the vocabulary all run in the graph.

    Signatures `caption(images: string[B]) -> string[B]` and
    `serving_default` (the same): each string holds an encoded image (JPEG,
    PNG, GIF's first frame, BMP); grayscale and RGBA images become RGB, and
    every image is resized to the model's size. Beam search with the
    config's beam width and length penalty.
    """

    signatures = ("caption", "serving_default")  # what `Task.export` serves

    def __init__(self, captioner):
        super().__init__()
        self.captioner = captioner
        self.model = captioner.model  # tracked: the weights
        self.words = tf.constant(captioner.vocab.output_words())
        self.max_length = captioner.config.max_length
        self.beam_width = captioner.config.beam_width
        self.length_penalty = captioner.config.length_penalty
        self.no_repeat_ngram = captioner.config.no_repeat_ngram

    def decode_images(self, images):
        def one(data):
            image = tf.io.decode_image(
                data, channels=3, dtype=tf.uint8, expand_animations=False
            )  # (H', W', 3), a static rank
            return fit_images(self.captioner.resize, image[None])[0]  # (H, W, 3)

        return tf.map_fn(one, images, fn_output_signature=tf.uint8)  # (B, H, W, 3)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="images")])
    def caption(self, images):
        memory, state = self.captioner.encode(self.decode_images(images))
        text = beam_search_text(
            self.captioner.step,
            state,
            memory,
            self.words,
            self.max_length,
            self.beam_width,
            self.length_penalty,
            START_ID,
            END_ID,
            self.no_repeat_ngram,
        )
        return tf.strings.strip(tf.strings.regex_replace(text, " +", " "))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="images")])
    def serving_default(self, images):
        return {"captions": self.caption(images)}
