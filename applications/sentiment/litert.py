"""LiteRT export of a sentiment classifier: token ids in, probabilities out."""

import keras
import tensorflow as tf

from keras_seq.export.litert import convert_function

# how a caller maps a text to the model's ids, written beside the .tflite file
HOW_TO_ENCODE = (
    "Each input takes the ids of one text under its own vocabulary: lower-case the text, remove ASCII punctuation, "
    "split on whitespace; a word's id is its index in the vocabulary (0 is padding, 1 any word not in it); keep "
    "the first sequence_length ids and pad with 0. The model returns probabilities: one column, the probability of "
    "labels[1], for two labels; one column per label otherwise."
)


class ClassifierLiteRT:
    """The classifier's network after its text vectorization, for LiteRT:
    one int64 id sequence per vocabulary (the words; the lexicon's and the
    word vectors' when the model has them), `[1, sequence_length]` each, in,
    the probabilities out. LSTM layers become the fused op, GRU layers (the
    default) `WHILE` loops of built-in ops, padding masked as in the Keras
    model.

    Args:
        classifier: a `SentimentClassifier`.
    """

    def __init__(self, classifier):
        self.config = classifier.config
        model = classifier.model
        self.vectorizers = [layer for layer in model.layers if isinstance(layer, keras.layers.TextVectorization)]
        self.network = keras.Model([v.output for v in self.vectorizers], model.output)  # ids -> probabilities

    def write(self, path, quantize="none"):
        """Convert to `path` (see `keras_seq.export.litert.convert_function`)."""
        specs = [tf.TensorSpec([1, v.output.shape[1]], v.output.dtype, name=v.name) for v in self.vectorizers]

        def run(*ids):
            return {"probabilities": self.network(list(ids), training=False)}

        return convert_function(run, specs, path, quantize, variables=self.network.variables)

    def assets(self):
        """`vocabulary.json`: each input's vocabulary (in the model's input
        order), the labels, and how a caller maps a text to ids."""
        about = {"labels": list(self.config.labels), "sequence_length": self.config.sequence_length}
        inputs = {v.name: list(v.get_vocabulary()) for v in self.vectorizers}
        return {"vocabulary.json": {**about, "inputs": inputs, "how": HOW_TO_ENCODE}}
