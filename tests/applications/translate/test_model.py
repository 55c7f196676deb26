import numpy as np
import pytest

from keras_seq.applications.translate import TranslatorConfig, build_translator
from keras_seq.errors import UserInputError

SOURCE = np.array([[5, 6, 7, 0, 0], [5, 6, 7, 8, 9]], np.int32)
TARGET_IN = np.array([[2, 9, 10, 0, 0, 0], [2, 9, 10, 11, 12, 13]], np.int32)
TARGET_OUT = np.array([[9, 10, 3, 0, 0, 0], [9, 10, 11, 12, 13, 3]], np.int32)
TINY = TranslatorConfig(src_vocab_size=50, tgt_vocab_size=60, embedding_dim=8, encoder_units=8, decoder_units=16)


@pytest.mark.parametrize("scheduled_sampling", [0.0, 0.5])
def test_padding_does_not_count_in_the_loss(scheduled_sampling):
    config = TINY.replace(dropout=0.0, scheduled_sampling=scheduled_sampling)
    model = build_translator(config)
    bias = model.get_layer("backbone").project.bias
    bias.assign(np.eye(60, dtype="float32")[0] * 5.0)  # padding very likely: cheap where the target is padding
    logits = np.asarray(model([SOURCE, TARGET_IN]), dtype="float64")
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    nll = -np.take_along_axis(logp, TARGET_OUT[..., None], -1)[..., 0]
    loss = model.evaluate([SOURCE, TARGET_IN], TARGET_OUT, verbose=0)
    np.testing.assert_allclose(loss, nll[TARGET_OUT != 0].mean(), rtol=1e-4)
    assert abs(loss - nll.mean()) > 1e-3  # the unmasked mean is a different number


def test_embedding_and_output_dropout_are_separate_settings():
    config = TINY.replace(dropout=0.3, embedding_dropout=0.1)
    model = build_translator(config)
    assert (
        model.get_layer("backbone").source_dropout.rate == 0.1
        and model.get_layer("backbone").output_dropout.rate == 0.3
    )
    assert TranslatorConfig().embedding_dropout == 0.0
    with pytest.raises(UserInputError, match="embedding_dropout"):
        build_translator(config.replace(embedding_dropout=1.0))


def test_ema_momentum_ends_fit_with_the_averaged_weights():
    config = TINY.replace(dropout=0.0, ema_momentum=0.9)
    model = build_translator(config)
    assert model.optimizer.use_ema and model.optimizer.ema_momentum == 0.9
    model.fit([SOURCE, TARGET_IN], TARGET_OUT, epochs=6, verbose=0)
    averages = {
        v.path: a for v, a in zip(model.optimizer._trainable_variables, model.optimizer._model_variables_moving_average)
    }
    for weight in model.trainable_weights:
        np.testing.assert_allclose(weight.numpy(), averages[weight.path].numpy(), rtol=1e-6)
    plain = build_translator(config.replace(ema_momentum=0.0))
    assert not plain.optimizer.use_ema
    with pytest.raises(UserInputError, match="ema_momentum"):
        build_translator(config.replace(ema_momentum=1.0))


def test_use_bias_adds_a_bias_to_the_attentional_output():
    config = TINY
    assert config.use_bias and config.attention == "bahdanau"  # the defaults
    with_bias, without = build_translator(config), build_translator(config.replace(use_bias=False))
    cell = with_bias.get_layer("backbone").decoder.cell
    assert cell.use_bias and tuple(cell.output_bias.shape) == (16,)
    plain = without.get_layer("backbone").decoder.cell
    assert not plain.use_bias and plain.output_bias is None
    assert with_bias.count_params() == without.count_params() + 16


def test_attention_none_gives_the_decoder_the_mean_of_the_source():
    from keras_seq.layers import BahdanauAttention, LuongAttention, MeanAttention

    config = TINY.replace(dropout=0.0)
    kinds = {"bahdanau": BahdanauAttention, "luong": LuongAttention, "none": MeanAttention}
    for kind, cls in kinds.items():
        model = build_translator(config.replace(attention=kind))
        assert type(model.get_layer("backbone").decoder.cell.attention) is cls
    logits = build_translator(config.replace(attention="none"))([SOURCE, TARGET_IN])
    assert np.all(np.isfinite(np.asarray(logits))) and logits.shape == (2, 6, 60)
    with pytest.raises(UserInputError, match="attention"):
        build_translator(config.replace(attention="mean"))


def test_a_config_saved_before_subwords_loads_as_word_level_and_lowercase():
    old = {k: v for k, v in TranslatorConfig().to_dict().items() if k not in ("vocabulary", "lowercase")}
    assert (TranslatorConfig.from_dict(old).vocabulary, TranslatorConfig.from_dict(old).lowercase) == ("word", True)
    new = TranslatorConfig.from_dict(TranslatorConfig().to_dict())
    assert (new.vocabulary, new.lowercase) == ("subword", False)


def test_the_backbone_round_trips_its_config_and_its_parts_are_attributes():
    from keras_seq.applications.translate import TranslatorBackbone

    backbone = build_translator(TINY.replace(dropout=0.0, cell="lstm")).get_layer("backbone")
    clone = TranslatorBackbone.from_config(backbone.get_config())
    assert clone.get_config() == backbone.get_config()
    clone(SOURCE, TARGET_IN)
    clone.set_weights(backbone.get_weights())
    np.testing.assert_allclose(np.asarray(clone(SOURCE, TARGET_IN)), np.asarray(backbone(SOURCE, TARGET_IN)), atol=1e-6)
    assert len(backbone.encoders) == TINY.encoder_layers and [b.name for b in backbone.bridges] == [
        "bridge_h",
        "bridge_c",
    ]
    memory, state = backbone.encode(SOURCE)  # one encoder for training, decoding and the export
    logits, _ = backbone.step(TARGET_IN[:, 0], state, memory)
    teacher_forced = np.asarray(backbone(SOURCE, TARGET_IN[:, :1]))[:, 0]
    np.testing.assert_allclose(np.asarray(logits), teacher_forced, atol=1e-5)  # the step is the network's first step
