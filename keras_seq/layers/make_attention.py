"""`make_attention`: one of our attention layers by the name an application's `--attention` gives."""

from keras_seq.layers.bahdanau_attention import BahdanauAttention
from keras_seq.layers.location_sensitive_attention import LocationSensitiveAttention
from keras_seq.layers.luong_attention import LuongAttention
from keras_seq.layers.mean_attention import MeanAttention

ATTENTIONS = ("bahdanau", "location", "luong", "none")


def make_attention(kind, units, name="attention"):
    """The attention of a decoder by name, so that every application's
    `--attention` means the same.

    Args:
        kind: `"bahdanau"` (additive, `units` wide), `"location"` (the
            same, reading where it looked before:
            `LocationSensitiveAttention`), `"luong"` (the general score) or `"none"` (`MeanAttention`: the context is
            the memory's mean, the classic encoder-decoder without
            attention).
        units: the additive score's size (used by `"bahdanau"` only).
        name: the layer's name.

    Returns:
        A `BahdanauAttention`, `LocationSensitiveAttention`,
        `LuongAttention` or `MeanAttention`.

    Examples:
        >>> cell = AttentionDecoderCell(GRUCell(256), make_attention("none", 256))
    """
    if kind == "bahdanau":
        return BahdanauAttention(units, name=name)
    if kind == "location":
        return LocationSensitiveAttention(units, name=name)
    if kind == "luong":
        return LuongAttention("general", name=name)
    if kind == "none":
        return MeanAttention(name=name)
    raise ValueError(f"Unknown attention {kind!r}; choose one of {', '.join(ATTENTIONS)}.")
