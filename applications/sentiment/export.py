"""SavedModel export of a sentiment classifier: strings in, labels out."""

import tensorflow as tf


class ClassifierModule(tf.Module):
    """Serving module with a `classify` signature:
    `texts: string[B] -> {"labels": string[B], "probabilities": float32[B, C]}`.

    Text vectorization is part of the model, so serving needs no Python
    code of ours.
    """

    signatures = ("classify",)  # what `Task.export` serves

    def __init__(self, classifier):
        super().__init__()
        self.model = classifier.model  # tracked: the weights and lookup tables
        self.names = tf.constant(classifier.config.labels)
        self.binary = classifier.config.num_classes == 2

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="texts")])
    def classify(self, texts):
        outputs = self.model(texts, training=False)
        probabilities = tf.concat([1.0 - outputs, outputs], axis=-1) if self.binary else outputs  # (B, C)
        return {"labels": tf.gather(self.names, tf.argmax(probabilities, axis=-1)), "probabilities": probabilities}
