"""Writing a serving module as a TensorFlow SavedModel."""

from keras_seq.export.atomic import atomic_dir


def save_module(module, export_dir, signatures):
    """Write `module` (a `tf.Module` whose `tf.function`s have input
    signatures) as a SavedModel with the named `signatures`, through a
    temporary folder: an older export is replaced only once the new one is
    complete.

    Args:
        module: the `tf.Module` (it tracks the Keras layers it calls).
        export_dir: the SavedModel's folder.
        signatures: names of the module's `tf.function`s to serve.

    Returns:
        `export_dir`.
    """
    import tensorflow as tf  # export

    concrete = {name: getattr(module, name).get_concrete_function() for name in signatures}
    with atomic_dir(export_dir) as tmp:
        tf.saved_model.save(module, tmp, signatures=concrete)
    return export_dir
