"""The LSTM variants (layer norm, peepholes, zoneout, projection) against
NumPy references of their published formulas."""

import keras
import numpy as np
import pytest

from keras_seq.layers import LSTM, LSTMCell
from tests.layer_checks import assert_round_trips, run_layer_test

B, T, D, U, P = 3, 6, 4, 5, 2
VARIANTS = {
    "layer_norm": {"layer_norm": True},
    "peephole": {"peephole": True},
    "zoneout": {"zoneout": (0.3, 0.6)},
    "proj_size": {"proj_size": P},
    "all": {"layer_norm": True, "peephole": True, "zoneout": (0.2, 0.1), "proj_size": P},
}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _norm(x, gamma, beta, epsilon=1e-3):
    mean = x.mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + epsilon) * gamma + beta


def reference(x, w, options, mask=None):
    """The variants' formulas, in inference (zoneout's expectation), step by step.
    `w` maps weight names to arrays; masked steps carry the states over."""
    width = options.get("proj_size") or U
    h, c = np.zeros((B, width)), np.zeros((B, U))
    z_h, z_c = options.get("zoneout") or (0.0, 0.0)
    outputs = []
    for t in range(x.shape[1]):
        x_part, h_part = x[:, t] @ w["kernel"], h @ w["recurrent_kernel"]
        if options.get("layer_norm"):  # Ba et al.: each product normalized, then the bias
            x_part = _norm(x_part, w["kernel_norm_gamma"], w["kernel_norm_beta"])
            h_part = _norm(h_part, w["recurrent_norm_gamma"], w["recurrent_norm_beta"])
        zi, zf, zg, zo = np.split(x_part + h_part + w["bias"], 4, axis=-1)
        if options.get("peephole"):  # Gers & Schmidhuber: i, f see c_{t-1}; o sees c_t
            zi, zf = zi + w["input_gate_peephole_weights"] * c, zf + w["forget_gate_peephole_weights"] * c
        c_new = _sigmoid(zf) * c + _sigmoid(zi) * np.tanh(zg)
        if options.get("layer_norm"):
            c_new = _norm(c_new, w["state_norm_gamma"], w["state_norm_beta"])
        if options.get("peephole"):
            zo = zo + w["output_gate_peephole_weights"] * c_new
        h_new = _sigmoid(zo) * np.tanh(c_new)
        if options.get("proj_size"):  # PyTorch: h = W_hr (o * tanh(c))
            h_new = h_new @ w["projection_kernel"]
        h_new, c_new = z_h * h + (1 - z_h) * h_new, z_c * c + (1 - z_c) * c_new  # Krueger et al., in inference
        if mask is not None:
            keep = mask[:, t : t + 1]
            h_new, c_new = np.where(keep, h_new, h), np.where(keep, c_new, c)
        h, c = h_new, c_new
        outputs.append(h)
    return np.stack(outputs, 1), h, c


def _layer(options, **kwargs):
    layer = LSTM(U, return_sequences=True, return_state=True, **options, **kwargs)
    x = np.random.default_rng(0).normal(size=(B, T, D)).astype("float32")
    layer(x)
    rng = np.random.default_rng(1)
    layer.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in layer.get_weights()])
    weights = {w.path.split("/")[-1]: np.asarray(w) for w in layer.weights}
    return layer, x, weights


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_variant_computes_its_published_formula(name):
    options = VARIANTS[name]
    layer, x, weights = _layer(options)
    assert not layer.can_fuse()  # a step-only option: the step loop
    outputs, h, c = (np.asarray(v) for v in layer(x))
    want_outputs, want_h, want_c = reference(x.astype("float64"), weights, options)
    np.testing.assert_allclose(outputs, want_outputs, atol=2e-5)
    np.testing.assert_allclose(h, want_h, atol=2e-5)
    np.testing.assert_allclose(c, want_c, atol=2e-5)
    assert outputs.shape == (B, T, options.get("proj_size") or U) and c.shape == (B, U)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_masks_carry_the_states_over(name):
    options = VARIANTS[name]
    layer, x, weights = _layer(options)
    mask = np.ones((B, T), bool)
    mask[0, 4:] = False  # right padding
    mask[1, :2] = False  # left padding
    outputs, h, c = (np.asarray(v) for v in layer(x, mask=mask))
    want_outputs, want_h, want_c = reference(x.astype("float64"), weights, options, mask)
    np.testing.assert_allclose(h, want_h, atol=2e-5)
    np.testing.assert_allclose(c, want_c, atol=2e-5)
    np.testing.assert_allclose(outputs[0, :4], want_outputs[0, :4], atol=2e-5)


def test_zoneout_in_training_keeps_each_unit_with_its_probability():
    layer = LSTM(64, zoneout=(0.7, 0.2), seed=0, return_state=True)
    x = np.random.default_rng(0).normal(size=(512, 1, D)).astype("float32")
    h, _, c = (np.asarray(v) for v in layer(x, training=True))
    # from zero states, a unit that kept its previous value is exactly 0
    assert abs((h == 0).mean() - 0.7) < 0.02 and abs((c == 0).mean() - 0.2) < 0.02
    inference = np.asarray(layer(x)[0])
    assert (inference != 0).all()  # the expectation: nothing is exactly kept


def test_projection_loads_a_pytorch_state_dict_by_the_documented_mapping():
    rng = np.random.default_rng(3)
    torch_state = {  # the shapes of nn.LSTM(D, U, proj_size=P) weights
        "weight_ih_l0": rng.normal(size=(4 * U, D)),
        "weight_hh_l0": rng.normal(size=(4 * U, P)),
        "bias_ih_l0": rng.normal(size=(4 * U,)),
        "bias_hh_l0": rng.normal(size=(4 * U,)),
        "weight_hr_l0": rng.normal(size=(P, U)),
    }
    layer = LSTM(U, proj_size=P, return_sequences=True)
    x = rng.normal(size=(B, T, D)).astype("float32")
    layer(x)
    s = torch_state
    layer.set_weights(
        [s["weight_ih_l0"].T, s["weight_hh_l0"].T, s["bias_ih_l0"] + s["bias_hh_l0"], s["weight_hr_l0"].T]
    )
    # PyTorch's documented recurrence, with its own (output, input) weight layout
    h, c = np.zeros((B, P)), np.zeros((B, U))
    for t in range(T):
        gates = x[:, t] @ s["weight_ih_l0"].T + s["bias_ih_l0"] + h @ s["weight_hh_l0"].T + s["bias_hh_l0"]
        i, f, g, o = np.split(gates, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = (_sigmoid(o) * np.tanh(c)) @ s["weight_hr_l0"].T
    np.testing.assert_allclose(np.asarray(layer(x))[:, -1], h, atol=1e-4)


@pytest.mark.parametrize("name", ["layer_norm", "all"])
def test_round_trips_bidirectional_and_layer_checks(name, tmp_path):
    options = VARIANTS[name]
    layer, x, _ = _layer(options)
    for folder in ("layer", "bidirectional", "checks"):
        (tmp_path / folder).mkdir()
    assert_round_trips(layer, x, tmp_path / "layer")
    both = keras.layers.Bidirectional(LSTM(U, return_sequences=True, **options))
    assert np.asarray(both(x)).shape == (B, T, 2 * (options.get("proj_size") or U))
    assert_round_trips(both, x, tmp_path / "bidirectional")
    run_layer_test(
        LSTM, {"units": U, "return_sequences": True, **options}, x, tmp_path / "checks", atol=1e-5, bfloat16=False
    )
    config = LSTMCell(U, **options).get_config()
    assert LSTMCell.from_config(config).get_config() == config


def test_recurrent_dropout_masks_the_projected_state():
    layer = LSTM(U, proj_size=P, recurrent_dropout=0.5, seed=2)
    x = np.random.default_rng(0).normal(size=(B, T, D)).astype("float32")
    assert np.asarray(layer(x, training=True)).shape == (B, P)


def test_bad_arguments():
    with pytest.raises(ValueError, match="zoneout"):
        LSTM(4, zoneout=(1.0, 0.0))
    with pytest.raises(ValueError, match="zoneout"):
        LSTM(4, zoneout=0.1)
    with pytest.raises(ValueError, match="proj_size"):
        LSTM(4, proj_size=0)
    with pytest.raises(ValueError, match="norm_epsilon"):
        LSTM(4, layer_norm=True, norm_epsilon=0)
    with pytest.raises(ValueError, match="fused=True"):
        LSTM(4, peephole=True, fused=True)
