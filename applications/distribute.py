"""Where training runs: the `tf.distribute` strategies of `--strategy`.

TensorFlow is imported on first use, so that the command line can read
`STRATEGIES` for its `--help`, and so that a strategy can be made before
anything starts TensorFlow's runtime (a `MultiWorkerMirroredStrategy`, or
a CPU split into logical devices, can only be made then)."""

import json
import os

from keras_seq.errors import UserInputError

STRATEGIES = ("default", "mirrored", "multiworker")
_MADE = {}  # (name, cpu_replicas) -> the strategy: one object per process


def any_worker(strategy):
    """For `TimeBudget(agree=...)` under several workers: whether any
    worker's clock says stop (an all-reduce each step, so that every
    worker stops after the same step)."""
    import tensorflow as tf

    def agree(stop):
        return bool(strategy.reduce("SUM", tf.constant(int(stop)), axis=None) > 0)

    return agree


def _multi_worker_strategy():
    """`tf.distribute.MultiWorkerMirroredStrategy` for `model.fit`.

    Keras 3.15's TensorFlow trainer hands the strategy's `reduce` two
    things it refuses across workers: the nest of a batch (`fit` reads one
    batch ahead and averages it to build the model; the collective reduce
    takes one value at a time), and the scalar logs of every step with
    `axis=0` ("Invalid reduction dimension 0 for input with 0 dimensions",
    keras-team/keras#20585). The subclass reduces a nest one value at a
    time, a scalar over the replicas alone, and a type the collective
    operations lack (the captioner's uint8 images) as float32, cast back:
    the public `reduce`, with the arguments it accepts."""
    import tensorflow as tf

    collective_types = (tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64)

    class MultiWorkerStrategy(tf.distribute.MultiWorkerMirroredStrategy):
        def reduce(self, reduce_op, value, axis):
            def one(item):
                local = self.experimental_local_results(item)[0]  # a replica's part
                axis_of_item = None if local.shape.rank == 0 else axis
                if local.dtype in collective_types:
                    return super(MultiWorkerStrategy, self).reduce(reduce_op, item, axis_of_item)
                as_float = self.run(lambda part: tf.cast(part, tf.float32), args=(item,))  # on each replica
                return tf.cast(super(MultiWorkerStrategy, self).reduce(reduce_op, as_float, axis_of_item), local.dtype)

            return tf.nest.map_structure(one, value)

    return MultiWorkerStrategy()


def cluster_role(strategy):
    """`(chief, task)` of this process: whether it is the one that writes
    (the `chief` task, or worker 0 of a cluster without one, as in
    `TF_CONFIG`), and its name in the cluster (`worker-1`; None for a
    process alone, which is its own chief)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    task_type = getattr(resolver, "task_type", None)
    if not task_type:
        return True, None
    task_id = int(resolver.task_id or 0)
    chief = task_type == "chief" or (
        task_type == "worker" and task_id == 0 and "chief" not in resolver.cluster_spec().as_dict()
    )
    return chief, f"{task_type}-{task_id}"


def _check_cluster():
    """The cluster of `--strategy multiworker`, from `TF_CONFIG`."""
    text = os.environ.get("TF_CONFIG")
    if not text:
        raise UserInputError(
            "--strategy multiworker reads the cluster from TF_CONFIG, which is not set; "
            'e.g. TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", '
            '"index": 0}}\''
        )
    try:
        spec = json.loads(text)
        workers = spec["cluster"]["worker"] + spec["cluster"].get("chief", [])
        spec["task"]["type"], int(spec["task"]["index"])
    except (ValueError, KeyError, TypeError) as error:
        raise UserInputError(
            f"TF_CONFIG is not a cluster with a task ({error!r}); see "
            "tf.distribute.cluster_resolver.TFConfigClusterResolver"
        ) from None
    if not workers:
        raise UserInputError("TF_CONFIG names no worker")


def use_cpu_replicas(count):
    """Split the CPU into `count` logical devices, so that `MirroredStrategy`
    can be tried on a machine without accelerators. TensorFlow allows it
    only before its runtime starts, so call it first.

    Raises:
        UserInputError: the runtime already started with another split.
    """
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * count)
    except RuntimeError:
        current = tf.config.get_logical_device_configuration(cpu) or [None]
        if len(current) != count:
            raise UserInputError(
                f"--cpu-replicas {count}: TensorFlow already runs with {len(current)} CPU device(s); set it when the "
                "process starts"
            ) from None


def make_strategy(name="default", cpu_replicas=None):
    """The `tf.distribute` strategy of `name`: `"default"` (one device),
    `"mirrored"` (`MirroredStrategy` over the visible GPUs, or over
    `cpu_replicas` logical CPUs) or `"multiworker"`
    (`MultiWorkerMirroredStrategy` over the processes of `TF_CONFIG`, one
    replica each on a CPU; see `_multi_worker_strategy`). One object per
    process and name: two such objects in one process clash in their
    collective operations."""
    import tensorflow as tf

    if isinstance(name, tf.distribute.Strategy):
        return name  # the caller's own
    if name not in STRATEGIES:
        raise ValueError(
            f"`strategy` must be one of {STRATEGIES} or a tf.distribute.Strategy; received strategy={name!r}."
        )
    if name == "multiworker" and cpu_replicas:
        raise UserInputError(
            "--cpu-replicas splits one process's CPU for --strategy mirrored; with multiworker, each process of "
            "TF_CONFIG is one replica"
        )
    if cpu_replicas:
        use_cpu_replicas(cpu_replicas)
    if name == "default":
        return tf.distribute.get_strategy()
    key = (name, cpu_replicas)
    if key not in _MADE:
        if name == "multiworker":
            _check_cluster()
            _MADE[key] = _multi_worker_strategy()
        else:
            gpus = [device.name for device in tf.config.list_logical_devices("GPU")]
            cpus = [device.name for device in tf.config.list_logical_devices("CPU")]
            _MADE[key] = tf.distribute.MirroredStrategy(cpus if cpu_replicas or not gpus else gpus)
    return _MADE[key]


__all__ = ["STRATEGIES", "any_worker", "cluster_role", "make_strategy", "use_cpu_replicas"]
