import pytest

from keras_seq.applications.tag import Tagger, TaggerConfig, train
from tests.applications.shared import trained_once

# a tagger small enough to train in seconds on the toy news below
SMALL = TaggerConfig(
    embedding_dim=16, char_dim=16, units=16, dropout=0.1, learning_rate=1e-2, batch_size=16, patience=0
)

PEOPLE = ["John Smith", "Mary", "Ada Lovelace", "Omar", "Li Wei", "Anna Berg", "Tom", "Sara Cole"]
PLACES = ["Paris", "New York", "Lagos", "Oslo", "Lima", "San Jose", "Kyoto", "Cairo"]
TEMPLATES = [
    "{PER} flew to {LOC} on Monday .",
    "In {LOC} , {PER} met {PER} .",
    "{PER} lives near {LOC} .",
    "The mayor of {LOC} thanked {PER} .",
    "Yesterday {PER} left {LOC} for {LOC} .",
    "It rained all week .",
]


def toy_news(count, seed=0):
    """`count` sentences of the templates, with IOB2 tags: `(words, tags)` lists."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sentences, tags = [], []
    for _ in range(count):
        words, row = [], []
        for piece in TEMPLATES[rng.integers(len(TEMPLATES))].split():
            if piece in ("{PER}", "{LOC}"):
                kind = piece[1:4]
                name = (PEOPLE if kind == "PER" else PLACES)[rng.integers(8)].split()
                words += name
                row += [f"B-{kind}"] + [f"I-{kind}"] * (len(name) - 1)
            else:
                words.append(piece)
                row.append("O")
        sentences.append(words)
        tags.append(row)
    return sentences, tags


def write_conll(path, sentences, tags, columns=lambda word, tag: [word, tag]):
    """A CoNLL-style column file of the sentences (a user's file)."""
    blocks = ["\n".join(" ".join(columns(w, t)) for w, t in zip(words, row)) for words, row in zip(sentences, tags)]
    path.write_text("-DOCSTART- O\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def conll_file(tmp_path_factory):
    return write_conll(tmp_path_factory.mktemp("conll") / "train.conll", *toy_news(400))


@pytest.fixture(scope="session")
def trained(tmp_path_factory, conll_file):
    """The small tagger, trained once for the whole session on the toy news."""
    config = SMALL.replace(epochs=6, validation_split=0.1)
    tagger, history, model_dir = trained_once(
        tmp_path_factory, "tagger", train, Tagger.load, config, data=str(conll_file)
    )
    return tagger, history, history.validation_examples, model_dir
