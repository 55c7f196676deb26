import pytest

from keras_seq.layers import (
    ATTENTIONS,
    BahdanauAttention,
    LocationSensitiveAttention,
    LuongAttention,
    MeanAttention,
    make_attention,
)


def test_each_name_gives_its_attention():
    for name, cls in zip(
        ATTENTIONS, (BahdanauAttention, LocationSensitiveAttention, LuongAttention, MeanAttention), strict=True
    ):
        layer = make_attention(name, 7, name=f"attend_{name}")
        assert type(layer) is cls and layer.name == f"attend_{name}"
    assert make_attention("bahdanau", 7).units == 7 and make_attention("luong", 7).score_mode == "general"
    with pytest.raises(ValueError, match="Unknown attention 'mean'"):
        make_attention("mean", 7)
