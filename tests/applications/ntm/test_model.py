import keras
import numpy as np
import pytest

from keras_seq.applications.ntm import BitErrorsPerSequence, NTMTaskConfig, baseline_units, build_ntm_task
from keras_seq.applications.ntm.model import ntm_weights
from keras_seq.errors import UserInputError


@pytest.mark.parametrize("task", ["copy", "associative-recall"])
def test_the_lstm_baseline_has_about_as_many_weights(task):
    config = NTMTaskConfig(task=task, units=32, memory_size=24, memory_width=8, max_size=4, jit_compile=False)
    ntm = build_ntm_task(config)
    assert ntm.count_params() == ntm_weights(config)
    lstm = build_ntm_task(config.replace(model="lstm"))
    assert lstm.get_layer("lstm").units == baseline_units(config)
    assert abs(lstm.count_params() / ntm.count_params() - 1) < 0.02


def test_bit_error_metric_by_hand():
    metric = BitErrorsPerSequence()
    y = np.zeros((2, 2, 3), "float32")
    pred = np.full((2, 2, 3), -1.0, "float32")
    pred[0, 1] = 1.0  # 3 wrong bits, counted
    pred[1, 0, 0] = 1.0  # 1 wrong bit on a weight-0 step
    metric.update_state(y, pred, sample_weight=np.array([[0, 1], [0, 1]], "float32"))
    assert float(metric.result()) == 1.5


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"task": "sort"}, "unknown task"),
        ({"memory_size": 0}, "memory_size"),
        ({"memory_width": -1}, "memory_width"),
        ({"read_heads": 0}, "read_heads"),
        ({"write_heads": 0}, "write_heads"),
        ({"shift_range": 64}, "as large as the memory"),
        ({"max_size": 200}, "needs 200 memory slots"),
        ({"optimizer": "sgd"}, "optimizer"),
    ],
)
def test_bad_configs_name_the_field(changes, match):
    with pytest.raises(UserInputError, match=match):
        NTMTaskConfig(**changes).validate()
    assert issubclass(UserInputError, ValueError)


def test_the_default_recipe_and_the_adam_and_feedforward_variants():
    small = {"units": 8, "memory_size": 8, "memory_width": 4, "max_size": 4, "jit_compile": False}
    default = build_ntm_task(NTMTaskConfig(**small)).optimizer
    assert isinstance(default, keras.optimizers.RMSprop) and default.clipvalue == 10.0 and default.momentum == 0.9
    model = build_ntm_task(NTMTaskConfig(**small, controller="feedforward", optimizer="adam", clip=50.0))
    assert model.optimizer.global_clipnorm == 50.0 and model.get_layer("ntm").cell.controller_type == "feedforward"
