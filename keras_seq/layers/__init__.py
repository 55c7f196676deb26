"""keras_seq layers: recurrent cells and layers, attention, decoder cell, NTM memory."""

from keras_seq.layers.attention_base import AttentionBase
from keras_seq.layers.attention_decoder import AttentionDecoder
from keras_seq.layers.attention_decoder_cell import AttentionDecoderCell
from keras_seq.layers.attention_penalty import AttentionPenalty
from keras_seq.layers.attention_pooling import AttentionPooling
from keras_seq.layers.bahdanau_attention import BahdanauAttention
from keras_seq.layers.character_encoder import CharacterEncoder
from keras_seq.layers.content_addressing import ContentAddressing
from keras_seq.layers.crf import CRF
from keras_seq.layers.crf_decode import CRFDecode
from keras_seq.layers.gru import GRU
from keras_seq.layers.gru_cell import GRUCell
from keras_seq.layers.inference_blend import InferenceBlend
from keras_seq.layers.instance_shift import InstanceShift
from keras_seq.layers.location_sensitive_attention import LocationSensitiveAttention
from keras_seq.layers.lstm import LSTM
from keras_seq.layers.lstm_cell import LSTMCell
from keras_seq.layers.luong_attention import LuongAttention
from keras_seq.layers.make_attention import ATTENTIONS, make_attention
from keras_seq.layers.make_recurrent import make_recurrent
from keras_seq.layers.masked_global_max_pooling import MaskedGlobalMaxPooling
from keras_seq.layers.mean_attention import MeanAttention
from keras_seq.layers.ntm import NTM
from keras_seq.layers.ntm_cell import NTMCell
from keras_seq.layers.padding_mask import PaddingMask
from keras_seq.layers.parallel_segment_decoder import ParallelSegmentDecoder
from keras_seq.layers.position_embedding import PositionEmbedding
from keras_seq.layers.recursive_segment_decoder import RecursiveSegmentDecoder
from keras_seq.layers.scheduled_sampler import ScheduledSampler
from keras_seq.layers.series_segments import SeriesSegments
from keras_seq.layers.simple_rnn import SimpleRNN
from keras_seq.layers.simple_rnn_cell import SimpleRNNCell
from keras_seq.layers.tied_embedding import TiedEmbedding
from keras_seq.layers.token_dropout import TokenDropout

__all__ = [
    "ATTENTIONS",
    "AttentionBase",
    "AttentionPenalty",
    "AttentionDecoder",
    "AttentionDecoderCell",
    "AttentionPooling",
    "BahdanauAttention",
    "CharacterEncoder",
    "ContentAddressing",
    "CRF",
    "CRFDecode",
    "GRU",
    "GRUCell",
    "InferenceBlend",
    "InstanceShift",
    "LSTM",
    "LSTMCell",
    "LocationSensitiveAttention",
    "LuongAttention",
    "make_attention",
    "MeanAttention",
    "MaskedGlobalMaxPooling",
    "make_recurrent",
    "NTM",
    "NTMCell",
    "PaddingMask",
    "ParallelSegmentDecoder",
    "PositionEmbedding",
    "RecursiveSegmentDecoder",
    "ScheduledSampler",
    "SeriesSegments",
    "SimpleRNN",
    "SimpleRNNCell",
    "TiedEmbedding",
    "TokenDropout",
]
