"""keras-tuner's search through an application's builder: `tune`, its
trial table, and the tuners and oracles it runs."""

import glob
import json
import os
import time

import keras_tuner

from keras_seq.applications import default_model_dir
from keras_seq.applications.hypermodel import TUNERS
from keras_seq.applications.resume import data_identity
from keras_seq.applications.task import check_model_dir
from keras_seq.applications.training import prepare
from keras_seq.errors import UserInputError
from keras_seq.export import atomic_file
from keras_seq.training import TimeBudget

SEARCH_RECORD, TUNING_DIR = "search.json", "tuning"


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


def _search_record(kind, data, data_options, config, hypermodel_class):
    """The tuner, data, base config and search space of a search, as JSON
    values (to tell an old search's folder from a new search's)."""
    space = keras_tuner.HyperParameters()
    hypermodel_class.search_space(space)
    record = {
        "tuner": kind,
        "data": data_identity(data),
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
    model_dir = model_dir or default_model_dir(task_class.app)
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
        oracle = _oracle(
            tuner,
            deadline,
            max_trials,
            objective=objective,
            max_epochs=prepared.config.epochs_to_run(),
            seed=prepared.config.seed,
        )
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
    search.search(
        prepared.train,
        validation_data=prepared.validation,
        epochs=prepared.config.epochs_to_run(),
        callbacks=callbacks,
        verbose=verbose,
    )
    if worker:
        print_fn(f"Worker {tuner_id}: the oracle has no more trials; the chief writes the best model.")
        return None, []
    if oracle.stopped_by:
        print_fn(f"Search stopped: {oracle.stopped_by}.")
    rows = trial_table(search)
    best = search.oracle.get_best_trials(1)
    if not best:
        raise UserInputError(
            f"no trial of the search finished (see {os.path.join(directory, project)}); give it more time with "
            "--time-budget"
        )
    task_class(search.load_model(best[0])).save(model_dir)
    return task_class.load(model_dir), rows


__all__ = ["TUNERS", "format_trials", "trial_table", "tune"]
