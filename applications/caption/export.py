"""SavedModel export of a captioner: encoded images in, captions out."""

import tensorflow as tf

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
        self.backbone, self.preprocessor = captioner.backbone, captioner.preprocessor
        self.model = captioner.model  # tracked: the weights
        self.words = tf.constant(self.preprocessor.vocab.output_words())
        self.max_length = captioner.config.max_length
        self.beam_width, self.length_penalty, self.no_repeat_ngram = captioner.decode_options()  # the config's

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="images")])
    def caption(self, images):
        memory, state = self.backbone.encode(self.preprocessor.tf_decode_images(images))
        text = beam_search_text(
            self.backbone.step,
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
