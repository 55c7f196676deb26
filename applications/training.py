"""The one training driver: validate -> data -> build -> callbacks -> fit ->
save, for every application, and the keras-tuner search through the same
builder."""

import dataclasses
import glob
import hashlib
import json
import os
import shutil
import tempfile
import time

import keras
import keras_tuner

from keras_seq.applications.task import check_model_dir
from keras_seq.errors import TrainingInterrupted, UserInputError
from keras_seq.export import atomic_file
from keras_seq.training import NaNGuard, TimeBudget, TrainingCheckpoint

BACKUP_DIR, LOGS_DIR, TUNING_DIR = "backup", "logs", "tuning"


@dataclasses.dataclass
class Prepared:
    """What an application's `prepare` hands the driver.

    Attributes:
        config: the config completed from the data (vocabulary sizes, labels).
        train, validation: the `tf.data` pipelines `fit` reads.
        assets: keyword arguments of the builder besides the config
            (vocabularies).
        validation_examples: the held-out raw examples (for a look at them).
        summary: one line about the data and the model, printed before training.
        callbacks: callbacks the data needs during `fit` (a curriculum).
        steps: batches per epoch of `train`, for a pipeline whose
            cardinality TensorFlow cannot tell (a generator, bucketing); None: asked
            of the pipeline.
    """

    config: object
    train: object
    validation: object
    assets: dict
    validation_examples: object = None
    summary: str = ""
    callbacks: list = dataclasses.field(default_factory=list)
    steps: int = None  # training batches per epoch, where TensorFlow cannot tell (generated or bucketed data)


def training_callbacks(model_dir, checkpoint, budget=None, extra=(), logs_dir=None, print_fn=print):
    """A NaN or infinite loss stops training with the last good epoch's
    weights (`NaNGuard`), TensorBoard logs (`logs_dir`, default
    `model_dir/logs`), the wall-clock `budget` (a `TimeBudget`, or None),
    `extra`, then the run's `TrainingCheckpoint`, last, so that what it
    saves of an epoch's end comes after the others saw it (an early
    stop's best epoch)."""
    callbacks = [NaNGuard(print_fn=print_fn), keras.callbacks.TensorBoard(logs_dir or os.path.join(model_dir, LOGS_DIR))]
    if budget is not None:
        callbacks.append(budget)
    return callbacks + list(extra) + [checkpoint]


class _Continued(keras.callbacks.Callback):
    """A callback of one training run that `_fit` splits into two `fit`s:
    the first `fit` does not end it (`end=False`), the second does not
    begin it again (`begin=False`), so that it sees one run (an early
    stop keeps its count, its best weights are put back once, at the
    end)."""

    def __init__(self, callback, begin=True, end=True):
        super().__init__()
        self.callback, self.begin, self.end = callback, begin, end
        self.async_safe = getattr(callback, "async_safe", False)

    def set_model(self, model):
        super().set_model(model)
        self.callback.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        self.callback.set_params(params)

    def on_train_begin(self, logs=None):
        if self.begin:
            self.callback.on_train_begin(logs)

    def on_train_end(self, logs=None):
        if self.end:
            self.callback.on_train_end(logs)


def _forward(hook):
    def forward(self, *args, **kwargs):
        return getattr(self.callback, hook)(*args, **kwargs)

    return forward


for _hook in (
    "on_epoch_begin",
    "on_epoch_end",
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
):
    setattr(_Continued, _hook, _forward(_hook))


def run_fingerprint(task_class, config, data, data_options):
    """What identifies a training run (the application, the config as
    given, the data and its options), as JSON values: a checkpoint of
    another run is not resumed."""
    options = {key: str(value) for key, value in sorted(data_options.items())}
    record = {"app": task_class.app, "config": config.to_dict(), "data": _data_identity(data), "data options": options}
    return json.loads(json.dumps(record, default=str))


def _differences(old, new, prefix=""):
    """The keys where two fingerprints differ, such as `config.units`."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [d for key in sorted(set(old) | set(new)) for d in _differences(old.get(key), new.get(key), f"{prefix}{key}.")]
    return [] if old == new else [prefix.rstrip(".")]


def _any_worker(strategy):
    """For `TimeBudget(agree=...)` under several workers: whether any
    worker's clock says stop (an all-reduce each step, so that every
    worker stops after the same step)."""
    import tensorflow as tf

    def agree(stop):
        return bool(strategy.reduce("SUM", tf.constant(int(stop)), axis=None) > 0)

    return agree


STRATEGIES = ("default", "mirrored", "multiworker")
_STRATEGIES = {}


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
    chief = task_type == "chief" or (task_type == "worker" and task_id == 0 and "chief" not in resolver.cluster_spec().as_dict())
    return chief, f"{task_type}-{task_id}"


def _check_cluster():
    """The cluster of `--strategy multiworker`, from `TF_CONFIG`."""
    text = os.environ.get("TF_CONFIG")
    if not text:
        raise UserInputError(
            "--strategy multiworker reads the cluster from TF_CONFIG, which is not set; "
            'e.g. TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}\''
        )
    try:
        spec = json.loads(text)
        workers = spec["cluster"]["worker"] + spec["cluster"].get("chief", [])
        spec["task"]["type"], int(spec["task"]["index"])
    except (ValueError, KeyError, TypeError) as error:
        raise UserInputError(f"TF_CONFIG is not a cluster with a task ({error!r}); see tf.distribute.cluster_resolver.TFConfigClusterResolver") from None
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
            raise UserInputError(f"--cpu-replicas {count}: TensorFlow already runs with {len(current)} CPU device(s); set it when the process starts") from None


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
        raise ValueError(f"`strategy` must be one of {STRATEGIES} or a tf.distribute.Strategy; received strategy={name!r}.")
    if name == "multiworker" and cpu_replicas:
        raise UserInputError("--cpu-replicas splits one process's CPU for --strategy mirrored; with multiworker, each process of TF_CONFIG is one replica")
    if cpu_replicas:
        use_cpu_replicas(cpu_replicas)
    if name == "default":
        return tf.distribute.get_strategy()
    key = (name, cpu_replicas)
    if key not in _STRATEGIES:
        if name == "multiworker":
            _check_cluster()
            _STRATEGIES[key] = _multi_worker_strategy()
        else:
            gpus = [device.name for device in tf.config.list_logical_devices("GPU")]
            cpus = [device.name for device in tf.config.list_logical_devices("CPU")]
            _STRATEGIES[key] = tf.distribute.MirroredStrategy(cpus if cpu_replicas or not gpus else gpus)
    return _STRATEGIES[key]


def prepare(task_class, config, data, **data_options):
    """Validate `config`, read `data` and split it, then let the
    application encode it (`task_class.prepare`)."""
    config = config.replace()
    config.validate()
    # the pipelines' shuffling draws from the global seed too: set it here,
    # so that a run's batches do not depend on what ran before in the process
    keras.utils.set_random_seed(config.seed)
    train_examples, validation_examples = task_class.training_examples(data, config, **data_options)
    return task_class.prepare(config, train_examples, validation_examples)


def train(
    task_class,
    config=None,
    data="embedded",
    model_dir=None,
    time_budget=None,
    verbose=1,
    print_fn=print,
    callbacks=(),
    strategy="default",
    cpu_replicas=None,
    checkpoint_every=None,
    **data_options,
):
    """Train `task_class`'s application on `data` and save it to `model_dir`.

    Checkpoints to `model_dir/backup` during training (`TrainingCheckpoint`)
    and, when a run was killed, the same call resumes from its last
    checkpoint: the weights, the optimizer's state, the epoch and the step
    in it, the time spent against `time_budget`, the early stop's best
    epoch and patience, and the data position
    (the training pipeline is repeated and the batches already trained on
    are skipped, so the resumed run sees what the uninterrupted one would
    have). A call with another config or data is refused while a
    checkpoint of another run is there. Ctrl-C writes a checkpoint and
    raises `TrainingInterrupted`. TensorBoard logs go to `model_dir/logs`;
    the model is written only at the end, atomically (`Task.save`), and
    only then is the checkpoint removed. Bad input fails before anything
    is written.

    Args:
        task_class: the application's `Task` subclass.
        config: its config (default: the defaults); `epochs` (see
            `time_budget`), `validation_split`, `batch_size` and `seed` are
            read from it.
        data: a source as the application reads it (`embedded` by default).
        model_dir: output folder (default `saved_models/<app>`).
        time_budget: seconds, or None. Training stops after the step in
            progress, and the model is saved as usual. With a budget and
            no `epochs` in the config, training runs until the budget is
            spent (the config's `default_epochs` without one).
        verbose: 0 quiet, 1 progress bar, 2 a line per epoch.
        print_fn: where the messages go.
        callbacks: extra Keras callbacks for `fit`. Those with
            `get_state()`/`set_state()` (`BestWeights`) have their state
            held in the checkpoint, as the application's own early stop.
        strategy: `"default"`, `"mirrored"` (see `make_strategy`) or a
            `tf.distribute.Strategy` of the caller's. The
            config's `batch_size` is the global batch, split among the
            replicas, and the learning rate is left as it is: each step
            averages the gradient over the same global batch as one device
            would, so the training is the same, only spread.
        cpu_replicas: int, or None. Logical CPU devices for `"mirrored"`
            on a machine without GPUs (for trying it out).
        checkpoint_every: int steps between checkpoints, or None: about
            every 60 s of training (and at every epoch's end either way).
        **data_options: the application's data options (columns, languages).

    Returns:
        `(task, history)`: the trained task, loaded back from what was
        saved, and Keras' `History` (with `seconds`, the training time, and
        `validation_examples`, the held-out raw examples).
    """
    config = config if config is not None else task_class.config_class()
    model_dir = model_dir or os.path.join("saved_models", task_class.app.replace("-", "_"))
    check_model_dir(model_dir)
    if not (isinstance(strategy, str) and strategy == "default"):
        task_class.check_strategy(config)
    distribution = make_strategy(strategy, cpu_replicas)
    prepared = prepare(task_class, config, data, **data_options)  # fails before writing anything
    print_fn(prepared.summary)
    if time_budget and prepared.config.epochs is None:
        print_fn(f"Training until the time budget of {time_budget:g} s is spent (no --epochs given).")
    if distribution.num_replicas_in_sync > 1:
        replicas, batch = distribution.num_replicas_in_sync, prepared.config.batch_size
        print_fn(f"Strategy: {type(distribution).__name__} over {replicas} replicas; batches of {batch} split among them.")
    with distribution.scope():
        task = task_class(task_class.build(prepared.config, **prepared.assets))
    # under several workers only the chief writes model_dir (its model, logs
    # and checkpoint); each other worker keeps a checkpoint of its own beside
    # it, to resume alike, and writes its logs and model to a temporary
    # folder (saving takes every worker: the variables are read collectively)
    chief, role = cluster_role(distribution)
    backup = os.path.join(model_dir, BACKUP_DIR if chief else f"{BACKUP_DIR}-{role}")
    fingerprint = run_fingerprint(task_class, config, data, data_options)
    try:
        state = TrainingCheckpoint.read(backup)
    except ValueError as error:
        raise UserInputError(f"{error}; delete {backup} to start afresh") from None
    if state is not None and state.get("fingerprint") != fingerprint:
        changed = _differences(state.get("fingerprint") or {}, fingerprint)
        changed = ", ".join(changed[:6]) + (f" and {len(changed) - 6} more" if len(changed) > 6 else "") if changed else "the run"
        raise UserInputError(
            f"{backup} holds an interrupted run with other settings or data ({changed} differ); "
            f"run the same command as before to resume it, or delete {backup} to start afresh"
        )
    scratch = None if chief else tempfile.mkdtemp(prefix=f"keras_seq_{role}_")
    os.makedirs(model_dir, exist_ok=True)
    epoch, step, done = (state["epoch"], state["step"], state["global_step"]) if state else (0, 0, 0)
    agree = _any_worker(distribution) if role else None
    spent = state["seconds"] if state else 0.0
    budget = TimeBudget(time_budget, agree=agree, spent=spent) if time_budget is not None else None
    own = prepared.callbacks + task.training_callbacks(prepared, print_fn=print_fn, verbose=verbose)
    keep = [c for c in own + list(callbacks) if hasattr(c, "get_state") and hasattr(c, "set_state")]  # an early stop's best epoch and patience
    checkpoint = TrainingCheckpoint(
        backup, every_steps=checkpoint_every, fingerprint=fingerprint, clock=budget, agree=agree, start=(epoch, step, done), spent=spent, keep=keep
    )
    if state is not None:
        with distribution.scope():  # the optimizer's variables are made on the replicas
            TrainingCheckpoint.restore(task.model, backup, state, keep=keep)
        print_fn(f"Resuming the interrupted run in {backup}: epoch {epoch + 1}, step {step} ({done} steps done, {state['seconds']:.0f} s of training).")
    logs = os.path.join(scratch, LOGS_DIR) if scratch else None
    every = training_callbacks(model_dir, checkpoint, budget, own + list(callbacks), logs_dir=logs, print_fn=print_fn)
    start = time.monotonic()
    try:
        rebuild = lambda: prepare(task_class, config, data, **data_options).train  # noqa: E731
        history = _fit(task.model, prepared, every, epoch, step, done, verbose, rebuild, prepared.config.epochs_to_run(time_budget))
        history.seconds = time.monotonic() - start
        history.validation_examples = prepared.validation_examples
        task.save(scratch or model_dir)
        shutil.rmtree(backup, ignore_errors=True)  # only now: a crash while saving keeps the run
        return task_class.load(scratch or model_dir), history
    except KeyboardInterrupt:
        try:
            checkpoint.save()
        except Exception:  # noqa: BLE001 (interrupted inside a save: the last complete checkpoint stands)
            pass
        last = TrainingCheckpoint.read(backup)
        if last is None:
            raise TrainingInterrupted("interrupted before the first checkpoint; nothing to resume") from None
        where = f"epoch {last['epoch'] + 1}, step {last['step']}"
        raise TrainingInterrupted(f"interrupted: a checkpoint of {where} is in {backup}; run the same command to resume") from None
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _steps_per_epoch(prepared):
    if prepared.steps:
        return int(prepared.steps)
    count = int(prepared.train.cardinality())
    return count if count > 0 else None  # unknown (-2) or infinite (-1)


def _fit(model, prepared, callbacks, epoch, step, done, verbose, rebuild, epochs):
    """`model.fit` from epoch `epoch`, step `step` (`done` steps in all), to `epochs`.

    With a known number of batches per epoch the pipeline is repeated and
    the `done` batches already trained on are skipped, so the epochs see the
    batches an uninterrupted run would; a resumed partial epoch is a `fit`
    of its remaining steps, then a `fit` of the rest on a pipeline made
    afresh by `rebuild()` (a reshuffling pipeline gives each new iterator
    of one `tf.data` object another order; a new object's first iterator
    gives the uninterrupted run's); the callbacks see the two as one run
    (`_Continued`). Without a known number, epochs restart from their
    beginning (the checkpoints of the epochs' ends still hold)."""
    steps = _steps_per_epoch(prepared)
    common = {"validation_data": prepared.validation, "callbacks": callbacks, "verbose": verbose, "shuffle": False}  # the pipelines shuffle
    if steps is None:
        return model.fit(prepared.train, initial_epoch=epoch, epochs=epochs, **common)
    if step >= steps:  # a checkpoint of an epoch's last step alone (written by earlier versions): that epoch is done
        epoch, step = epoch + 1, 0
    stream = prepared.train.repeat()
    if step == 0 or epoch >= epochs:
        return model.fit(stream.skip(done), initial_epoch=epoch, epochs=epochs, steps_per_epoch=steps, **common)
    if epoch + 1 >= epochs:  # the resumed epoch is the last
        return model.fit(stream.skip(done), initial_epoch=epoch, epochs=epochs, steps_per_epoch=steps - step, **common)
    # two fits, one run for the callbacks: the first does not end them, the second does not begin them again
    first = {**common, "callbacks": [_Continued(c, end=False) for c in callbacks]}
    history = model.fit(stream.skip(done), initial_epoch=epoch, epochs=epoch + 1, steps_per_epoch=steps - step, **first)
    if model.stop_training:
        for callback in callbacks:
            callback.on_train_end()
        return history
    again = rebuild().repeat()
    second = {**common, "callbacks": [_Continued(c, begin=False) for c in callbacks]}
    rest = model.fit(again.skip(done + steps - step), initial_epoch=epoch + 1, epochs=epochs, steps_per_epoch=steps, **second)
    for key, values in rest.history.items():
        history.history.setdefault(key, []).extend(values)
    history.epoch.extend(rest.epoch)
    return history


class TaskHyperModel(keras_tuner.HyperModel):
    """The base of the applications' keras-tuner `HyperModel`s: each
    trial's config is the base config with `search_space(hp)` applied,
    built by the same builder as training.

    A subclass sets `build_fn` (the application's `build_*`) and
    `search_space` (a function of `hp` returning config overrides).

    Args:
        base_config: the config the search starts from.
        **assets: the builder's other arguments (vocabularies).

    Example:
    >>> tuner = keras_tuner.RandomSearch(CharLMHyperModel(config, vocabulary=vocab),
    ...                                  objective="val_loss", max_trials=8)
    """

    build_fn = None
    search_space = None

    def __init__(self, base_config, **assets):
        super().__init__()
        self.base_config = base_config
        self.assets = assets

    def config_for(self, hp):
        return self.base_config.replace(**type(self).search_space(hp))

    def build(self, hp):
        return type(self).build_fn(self.config_for(hp), **self.assets)


TUNERS = ("random", "bayesian", "hyperband")
SEARCH_RECORD = "search.json"


def _oracle(kind, deadline=None, trial_limit=None, **kwargs):
    """keras-tuner's oracle of `kind` that stops the search once the clock
    reaches `deadline` (a `time.monotonic()` value) or `trial_limit` trials
    exist. The oracle decides for every tuner it serves, so under
    distributed tuning the chief's budget ends the workers too, each told
    so by the oracle (and the chief ends when they have)."""
    base = {
        "random": keras_tuner.oracles.RandomSearchOracle,
        "bayesian": keras_tuner.oracles.BayesianOptimizationOracle,
        "hyperband": keras_tuner.oracles.HyperbandOracle,
    }[kind]

    class Bounded(base):
        stopped_by = None

        def populate_space(self, trial_id):
            if deadline is not None and time.monotonic() >= deadline:
                self.stopped_by = "the time budget is spent"
            elif trial_limit is not None and len(self.trials) >= trial_limit:
                self.stopped_by = f"{trial_limit} trials"  # Hyperband has no max_trials of its own
            else:
                return super().populate_space(trial_id)
            return {"status": keras_tuner.engine.trial.TrialStatus.STOPPED}

    Bounded.__name__ = base.__name__
    return Bounded(**kwargs)


class _Tuner(keras_tuner.Tuner):
    """keras-tuner's `Tuner` (random search, Bayesian optimization) that
    waits a second before asking again when the oracle answers "idle":
    keras-tuner 1.4's tuners ask again at once, so a distributed worker
    whose Hyperband bracket waits on other workers' trials would spin on
    the chief."""

    def __init__(self, hypermodel, oracle, **kwargs):
        keras_tuner.Tuner.__init__(self, oracle=oracle, hypermodel=hypermodel, **kwargs)
        ask = self.oracle.create_trial

        def create_trial(tuner_id):
            trial = ask(tuner_id)
            if trial.status == keras_tuner.engine.trial.TrialStatus.IDLE:
                time.sleep(1.0)
            return trial

        self.oracle.create_trial = create_trial


class _HyperbandTuner(_Tuner, keras_tuner.Hyperband):
    """keras-tuner's Hyperband (it sets each trial's epochs) around a given
    oracle: `_Tuner.__init__` goes straight to `keras_tuner.Tuner`'s, past
    `Hyperband.__init__`, which would build an oracle of its own."""


def _data_identity(data):
    """What identifies a data source: its name, and for a local file or
    folder its size and modification times."""
    if not isinstance(data, (str, os.PathLike)):
        return {"source": f"<{type(data).__name__} in memory>"}
    path = os.fspath(data)
    if os.path.isfile(path):
        stat = os.stat(path)
        return {"source": os.path.abspath(path), "bytes": stat.st_size, "modified": stat.st_mtime_ns}
    if os.path.isdir(path):
        digest = hashlib.sha1()
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{os.path.relpath(os.path.join(root, name), path)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
        return {"source": os.path.abspath(path), "files": digest.hexdigest()}
    return {"source": path}


def _search_record(kind, data, data_options, config, hypermodel_class):
    """The tuner, data, base config and search space of a search, as JSON
    values (to tell an old search's folder from a new search's)."""
    space = keras_tuner.HyperParameters()
    hypermodel_class.search_space(space)
    record = {
        "tuner": kind,
        "data": _data_identity(data),
        "data options": {key: str(value) for key, value in sorted(data_options.items())},
        "base config": config.to_dict(),
        "search space": [p.get_config() for p in space.space],
    }
    return json.loads(json.dumps(record, default=str))


def trial_table(tuner):
    """The trials of a search as dicts (`trial`, `status`, `score` and the
    searched values), best first, unfinished and failed ones last."""
    best = tuner.oracle.get_best_trials(num_trials=len(tuner.oracle.trials))
    rest = [t for t in tuner.oracle.trials.values() if t not in best]
    rows = []
    for trial in best + rest:
        values = {k: v for k, v in trial.hyperparameters.values.items() if not k.startswith("tuner/")}
        rows.append({"trial": trial.trial_id, "status": str(trial.status), "score": trial.score, **values})
    return rows


def format_trials(rows, objective):
    """`trial_table`'s rows as an aligned text table."""
    if not rows:
        return "no trials"
    columns = list(dict.fromkeys(key for row in rows for key in row))

    def cell(value):
        if isinstance(value, float):
            return f"{value:.4g}"
        return "-" if value is None else str(value)

    header = [objective if c == "score" else c for c in columns]
    table = [header] + [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    return "\n".join("  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip() for line in table)


def tune(
    task_class,
    config=None,
    data="embedded",
    model_dir=None,
    tuner="random",
    max_trials=6,
    time_budget=None,
    trial_budget=None,
    overwrite=False,
    verbose=1,
    print_fn=print,
    **data_options,
):
    """A keras-tuner search around `config`, through the application's
    builder, that leaves the best model in `model_dir` as a trained one.

    The trials live in `model_dir/tuning`; a search that was interrupted
    resumes from there (the trial in progress runs again). A folder that
    holds a search over other data, another base config, tuner or search
    space is refused unless `overwrite`, which starts afresh.

    Args:
        task_class: the application's `Task` subclass.
        config: the base config (default: the defaults).
        data, **data_options: as for `train`.
        model_dir: output folder (default `saved_models/<app>`).
        tuner: `"random"`, `"bayesian"` (Gaussian-process Bayesian
            optimization) or `"hyperband"`.
        max_trials: int > 0. Trials in all, counting those of an earlier,
            interrupted run of the same search.
        time_budget: seconds for the whole search, or None: no trial starts
            after it, and the trial in progress stops at it.
        trial_budget: seconds for each trial, or None.
        overwrite: delete an earlier search's trials and start afresh.
        verbose: 0 quiet; 1 keras-tuner's trial reports and progress bars.
        print_fn: where the messages go.

    Distributed tuning: with keras-tuner's `KERASTUNER_TUNER_ID`,
    `KERASTUNER_ORACLE_IP` and `KERASTUNER_ORACLE_PORT` set, the chief (a
    tuner id containing "chief") serves the oracle and, when the workers
    are done, writes the best model; each worker runs trials and returns
    `(None, [])`. All of them see the same `model_dir`.

    Returns:
        `(task, rows)`: the best trial's model (its weights of the best
        epoch, saved to `model_dir` and loaded back) and `trial_table`'s
        rows.

    Raises:
        UserInputError: bad data, a folder of another search, or no trial
            finished within the budget.
    """
    if tuner not in TUNERS:
        raise ValueError(f"`tuner` must be one of {TUNERS}; received tuner={tuner!r}.")
    config = config if config is not None else task_class.config_class()
    model_dir = model_dir or os.path.join("saved_models", task_class.app.replace("-", "_"))
    check_model_dir(model_dir)
    prepared = prepare(task_class, config, data, **data_options)  # fails before writing anything
    directory, project = os.path.join(model_dir, TUNING_DIR), task_class.app.replace("-", "_")
    # keras-tuner's distributed mode: the chief serves the oracle, the
    # workers run the trials; both find the same folder
    tuner_id = os.environ.get("KERASTUNER_TUNER_ID", "")
    worker = "KERASTUNER_ORACLE_IP" in os.environ and "chief" not in tuner_id
    overwrite = overwrite and not worker  # only the chief (or a lone search) starts afresh
    record = _search_record(tuner, data, data_options, prepared.config, task_class.hypermodel_class)
    record_path = os.path.join(directory, project, SEARCH_RECORD)
    # a folder with trials but no record is a search this check cannot read
    # (workers of a distributed search may make the folder before the chief)
    has_trials = bool(glob.glob(os.path.join(directory, project, "trial_*")))
    if not overwrite and not worker and (has_trials or os.path.isfile(record_path)):
        try:
            with open(record_path) as file:
                earlier = json.load(file)
        except (OSError, ValueError):
            earlier = {}
        changed = [key for key in record if earlier.get(key) != record[key]]
        if changed:
            raise UserInputError(
                f"{os.path.join(directory, project)} holds a search with another {', '.join(changed)}; "
                "pass --overwrite to start afresh (its trials are deleted), or use another --model-dir"
            )
    deadline = time.monotonic() + time_budget if time_budget else None
    objective = task_class.objective
    if tuner == "hyperband":
        oracle = _oracle(tuner, deadline, max_trials, objective=objective, max_epochs=prepared.config.epochs_to_run(), seed=prepared.config.seed)
    else:
        oracle = _oracle(tuner, deadline, objective=objective, max_trials=max_trials, seed=prepared.config.seed)
    tuner_class = _HyperbandTuner if tuner == "hyperband" else _Tuner
    search = tuner_class(
        hypermodel=task_class.hypermodel_class(prepared.config, **prepared.assets),
        oracle=oracle,
        directory=directory,
        project_name=project,
        overwrite=overwrite,
    )
    if not worker:
        with atomic_file(record_path) as tmp, open(tmp, "w") as file:
            json.dump(record, file, indent=1)
    callbacks = list(prepared.callbacks)
    if trial_budget or deadline:
        callbacks.append(TimeBudget(trial_budget, deadline=deadline))
    budget = f", {time_budget:g} s in all" if time_budget else ""
    print_fn(f"{prepared.summary}\nSearch: {tuner}, up to {max_trials} trials{budget}; trials in {directory}.")
    search.search(prepared.train, validation_data=prepared.validation, epochs=prepared.config.epochs_to_run(), callbacks=callbacks, verbose=verbose)
    if worker:
        print_fn(f"Worker {tuner_id}: the oracle has no more trials; the chief writes the best model.")
        return None, []
    if oracle.stopped_by:
        print_fn(f"Search stopped: {oracle.stopped_by}.")
    rows = trial_table(search)
    best = search.oracle.get_best_trials(1)
    if not best:
        raise UserInputError(f"no trial of the search finished (see {os.path.join(directory, project)}); give it more time with --time-budget")
    task_class(search.load_model(best[0])).save(model_dir)
    return task_class.load(model_dir), rows


__all__ = [
    "STRATEGIES",
    "TUNERS",
    "Prepared",
    "TaskHyperModel",
    "format_trials",
    "make_strategy",
    "prepare",
    "train",
    "trial_table",
    "training_callbacks",
    "tune",
    "use_cpu_replicas",
]
