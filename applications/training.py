"""The one training driver: validate -> data -> build -> callbacks -> fit ->
save, for every application (`prepare` and `train`). Resuming is
`resume`'s job, the strategies `distribute`'s, the search `tuning`'s."""

import dataclasses
import os
import shutil
import tempfile
import time

import keras

from keras_seq.applications import default_model_dir
from keras_seq.applications.distribute import any_worker, cluster_role, make_strategy
from keras_seq.applications.resume import fit_from, read_checkpoint, run_fingerprint
from keras_seq.applications.task import check_model_dir
from keras_seq.errors import TrainingInterrupted
from keras_seq.training import NaNGuard, TimeBudget, TrainingCheckpoint

BACKUP_DIR, LOGS_DIR = "backup", "logs"


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
    callbacks = [
        NaNGuard(print_fn=print_fn),
        keras.callbacks.TensorBoard(logs_dir or os.path.join(model_dir, LOGS_DIR)),
    ]
    if budget is not None:
        callbacks.append(budget)
    return callbacks + list(extra) + [checkpoint]


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
    model_dir = model_dir or default_model_dir(task_class.app)
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
        print_fn(
            f"Strategy: {type(distribution).__name__} over {replicas} replicas; batches of {batch} split among them."
        )
    with distribution.scope():
        task = task_class(task_class.build(prepared.config, **prepared.assets))
    # under several workers only the chief writes model_dir (its model, logs
    # and checkpoint); each other worker keeps a checkpoint of its own beside
    # it, to resume alike, and writes its logs and model to a temporary
    # folder (saving takes every worker: the variables are read collectively)
    chief, role = cluster_role(distribution)
    backup = os.path.join(model_dir, BACKUP_DIR if chief else f"{BACKUP_DIR}-{role}")
    fingerprint = run_fingerprint(task_class, config, data, data_options)
    state = read_checkpoint(backup, fingerprint)
    scratch = None if chief else tempfile.mkdtemp(prefix=f"keras_seq_{role}_")
    os.makedirs(model_dir, exist_ok=True)
    epoch, step, done = (state["epoch"], state["step"], state["global_step"]) if state else (0, 0, 0)
    agree = any_worker(distribution) if role else None
    spent = state["seconds"] if state else 0.0
    budget = TimeBudget(time_budget, agree=agree, spent=spent) if time_budget is not None else None
    own = prepared.callbacks + task.training_callbacks(prepared, print_fn=print_fn, verbose=verbose)
    keep = [
        c for c in own + list(callbacks) if hasattr(c, "get_state") and hasattr(c, "set_state")
    ]  # an early stop's best epoch and patience
    checkpoint = TrainingCheckpoint(
        backup,
        every_steps=checkpoint_every,
        fingerprint=fingerprint,
        clock=budget,
        agree=agree,
        start=(epoch, step, done),
        spent=spent,
        keep=keep,
    )
    if state is not None:
        with distribution.scope():  # the optimizer's variables are made on the replicas
            TrainingCheckpoint.restore(task.model, backup, state, keep=keep)
        print_fn(
            f"Resuming the interrupted run in {backup}: epoch {epoch + 1}, step {step} ({done} steps done, "
            f"{state['seconds']:.0f} s of training)."
        )
    logs = os.path.join(scratch, LOGS_DIR) if scratch else None
    every = training_callbacks(model_dir, checkpoint, budget, own + list(callbacks), logs_dir=logs, print_fn=print_fn)
    start = time.monotonic()
    try:
        rebuild = lambda: prepare(task_class, config, data, **data_options).train  # noqa: E731
        history = fit_from(
            task.model, prepared, every, epoch, step, done, verbose, rebuild, prepared.config.epochs_to_run(time_budget)
        )
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
        raise TrainingInterrupted(
            f"interrupted: a checkpoint of {where} is in {backup}; run the same command to resume"
        ) from None
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


__all__ = ["Prepared", "prepare", "train", "training_callbacks"]
