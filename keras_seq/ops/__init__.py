"""Sequence-level kernels shared by the recurrent layers."""

from keras_seq.ops.crf import crf_decode, crf_log_likelihood, crf_log_partition, crf_pack, crf_unpack
from keras_seq.ops.ntm import ntm_sequence
from keras_seq.ops.recurrence import gru_sequence, lstm_sequence, simple_rnn_sequence

__all__ = [
    "crf_decode",
    "crf_log_likelihood",
    "crf_log_partition",
    "crf_pack",
    "crf_unpack",
    "gru_sequence",
    "lstm_sequence",
    "ntm_sequence",
    "simple_rnn_sequence",
]
