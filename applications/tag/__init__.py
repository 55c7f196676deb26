"""Sequence tagger (`keras-seq tag`): named entities, parts of speech, chunks.

from keras_seq.applications.tag import TaggerConfig, train
tagger, history = train(TaggerConfig(), data="train.conll")
tagger.tag("John Smith flew to Paris.")   # tokens, tags and entities
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "config": ("TaggerConfig", "TaggerDataOptions"),
        "data": ("Tagged", "read_columns", "read_conllu", "read_source", "tag_scheme"),
        "model": ("TaggerHyperModel", "build_tagger"),
        "preprocessor": ("TaggerPreprocessor", "build_vocabularies"),
        "task": ("Tagger", "entity_scores", "token_accuracy", "train"),
    },
)
