"""Decoding: greedy search, sampling and beam search over any step function.

See `keras_seq.decoding._common` for the step-function interface.
"""

from keras_seq.decoding.beam_search import beam_search, length_penalty_factor
from keras_seq.decoding.encoder_decoder_search import EncoderDecoderSearch, attention_decoder_step
from keras_seq.decoding.greedy import greedy_search
from keras_seq.decoding.prefill import prefill
from keras_seq.decoding.sampling import filter_logits, sample

__all__ = [
    "attention_decoder_step",
    "EncoderDecoderSearch",
    "beam_search",
    "filter_logits",
    "greedy_search",
    "length_penalty_factor",
    "prefill",
    "sample",
]
