"""SavedModel export of a sentiment classifier: strings in, labels out."""

import os
import shutil
import tempfile

import keras
import tensorflow as tf

from keras_seq.files import replace_dir


def export_classifier(classifier, export_dir):
    """Write a SavedModel with a `classify` signature:
    `texts: string[B] -> {"labels": string[B], "probabilities": float32[B, C]}`.

    Text vectorization is part of the model, so serving needs no Python
    code of ours. Written through a temporary folder; an older export is
    replaced only once the new one is complete.
    """
    model = classifier.model
    names = tf.constant(classifier.config.labels)
    binary = classifier.config.num_classes == 2

    def classify(texts):
        outputs = model(texts, training=False)
        probabilities = tf.concat([1.0 - outputs, outputs], axis=-1) if binary else outputs  # (B, C)
        return {"labels": tf.gather(names, tf.argmax(probabilities, axis=-1)), "probabilities": probabilities}

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("classify", classify, input_signature=[tf.TensorSpec([None], tf.string, name="texts")])
    parent = os.path.dirname(os.path.abspath(export_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=parent, prefix=".export-")
    try:
        archive.write_out(tmp, verbose=False)
        replace_dir(tmp, export_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return export_dir
