"""LiteRT export of an NTM task model: a fixed number of steps of bits in, bits out."""

import numpy as np
import tensorflow as tf

from keras_seq.applications.ntm.data import CHANNELS, generate
from keras_seq.applications.ntm.export import NTMModule
from keras_seq.export.litert import convert_function


def litert_steps(config):
    """The steps of the LiteRT model: those of the longest training
    sequence (the trained size; repeat copy with its most repeats)."""
    inputs, *_ = generate(config.task, np.random.default_rng(0), 1, config.size, repeats=config.max_repeats)
    return int(inputs.shape[1])


class NTMLiteRT:
    """The serving module's `run` for LiteRT: `bits [1, T, input_bits]` in,
    `bits` and `probabilities [1, T, output_bits]` out, with `T` from
    `litert_steps`. The model reads its input step by step (an output
    depends on the steps before it only), so a shorter sequence padded
    with zero rows at the end gives the same outputs on its own steps. The
    memory's read and write loop runs as a `WHILE` loop of built-in ops.

    Args:
        task: an `NTMTask`.
    """

    def __init__(self, task):
        self.task_name = task.config.task
        self.module = NTMModule(task)
        self.steps = litert_steps(task.config)
        self.channels, self.outputs = CHANNELS[self.task_name]

    def write(self, path, quantize="none"):
        """Convert to `path` (see `keras_seq.export.litert.convert_function`)."""
        spec = tf.TensorSpec([1, self.steps, self.channels], tf.float32, name="bits")
        variables = self.module.model.variables
        return convert_function(self.module.run.python_function, [spec], path, quantize, variables=variables)

    def assets(self):
        """`ntm.json`: the task, the steps and the bits in and out."""
        steps, inputs, outputs = self.steps, self.channels, self.outputs
        how = (
            f"bits: float32 [1, {steps}, {inputs}], a sequence as in training, padded with zero rows at the end to "
            f"{steps} steps; bits and probabilities: float32 [1, {steps}, {outputs}] (outputs on the padding rows "
            "mean nothing)."
        )
        about = {"task": self.task_name, "steps": steps, "input_bits": inputs, "output_bits": outputs, "how": how}
        return {"ntm.json": about}
