"""SavedModel export of an NTM task model: bit tensors in, bits out."""

import tensorflow as tf


class NTMModule(tf.Module):
    """Serving module with a `run` signature:
    `bits: float32[B, T, input_bits] -> {"bits": float32[B, T, output_bits],
    "probabilities": float32[B, T, output_bits]}` (bits are 0 or 1).
    """

    signatures = ("run",)  # what `Task.export` serves

    def __init__(self, task):
        super().__init__()
        self.model = task.model  # tracked: the weights
        from keras_seq.applications.ntm.data import CHANNELS

        channels = CHANNELS[task.config.task][0]
        self.run = tf.function(
            self._run, input_signature=[tf.TensorSpec([None, None, channels], tf.float32, name="bits")]
        )

    def _run(self, bits):
        logits = self.model(bits, training=False)  # (B, T, output_bits)
        return {"bits": tf.cast(logits > 0, tf.float32), "probabilities": tf.sigmoid(logits)}
