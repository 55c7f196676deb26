"""Neural Turing Machine algorithmic tasks (`keras-seq ntm`): copy, repeat
copy, associative recall and priority sort (Graves et al., 2014), with an
LSTM baseline.

from keras_seq.applications.ntm import NTMTaskConfig, train
task, history = train(NTMTaskConfig(task="copy"), time_budget=1800)
task.evaluate(task.evaluation_examples("embedded", "test"), length=40)
task.plot("copy.png", length=20)
task.export("saved_models/ntm/export")
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "config": ("NTMTaskConfig", "TASKS"),
        "data": ("TaskBatches", "bit_errors_per_sequence", "generate"),
        "model": ("BitErrorsPerSequence", "NTMTaskHyperModel", "baseline_units", "build_ntm_task"),
        "task": ("NTMTask", "train"),
    },
)
