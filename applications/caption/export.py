"""SavedModel export of a captioner: encoded images in, captions out."""

import tensorflow as tf

from keras_seq.applications.caption.task import fit_images
from keras_seq.data.word_vocabulary import END_ID, SPECIAL, START_ID
from keras_seq.decoding import beam_search


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
        self.words = tf.constant([""] * len(SPECIAL) + captioner.vocab.words)
        self.max_length = captioner.config.max_length
        self.beam_width = captioner.config.beam_width
        self.length_penalty = captioner.config.length_penalty

    def decode_images(self, images):
        def one(data):
            image = tf.io.decode_image(data, channels=3, dtype=tf.uint8, expand_animations=False)  # (H', W', 3), a static rank
            return fit_images(self.captioner.resize, image[None])[0]  # (H, W, 3)

        return tf.map_fn(one, images, fn_output_signature=tf.uint8)  # (B, H, W, 3)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="images")])
    def caption(self, images):
        memory, state = self.captioner.encode(self.decode_images(images))
        start = tf.fill([tf.shape(images)[0]], START_ID)
        out = beam_search(
            self.captioner.step,
            state,
            start,
            self.max_length,
            end_token=END_ID,
            beam_width=self.beam_width,
            length_penalty=self.length_penalty,
            constants=memory,
        )
        tokens = out["tokens"][:, 0]  # (B, L), best hypothesis
        seen_end = tf.cumsum(tf.cast(tokens == END_ID, tf.int32), axis=1) > 0
        tokens = tf.where(seen_end, 0, tokens)
        return tf.strings.strip(tf.strings.regex_replace(tf.strings.reduce_join(tf.gather(self.words, tokens), axis=-1, separator=" "), " +", " "))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="images")])
    def serving_default(self, images):
        return {"captions": self.caption(images)}
