"""Training helpers: callbacks, losses, metrics."""

from keras_seq.training.best_weights import BestWeights
from keras_seq.training.crf_accuracy import CRFAccuracy
from keras_seq.training.crf_loss import CRFLoss
from keras_seq.training.entity_f1 import EntityF1
from keras_seq.training.entity_scores import entity_scores, token_accuracy
from keras_seq.training.losses import SmoothedSparseCrossEntropy
from keras_seq.training.metrics import BitsPerChar, Perplexity
from keras_seq.training.nan_guard import NaNGuard
from keras_seq.training.pinball_loss import PinballLoss
from keras_seq.training.scheduled_sampling import ScheduledSampling
from keras_seq.training.sequence_loss import SequenceLoss, sequence_loss
from keras_seq.training.time_budget import TimeBudget
from keras_seq.training.training_checkpoint import TrainingCheckpoint

__all__ = [
    "BestWeights",
    "BitsPerChar",
    "CRFAccuracy",
    "CRFLoss",
    "EntityF1",
    "NaNGuard",
    "Perplexity",
    "PinballLoss",
    "ScheduledSampling",
    "SequenceLoss",
    "SmoothedSparseCrossEntropy",
    "TimeBudget",
    "TrainingCheckpoint",
    "entity_scores",
    "sequence_loss",
    "token_accuracy",
]
