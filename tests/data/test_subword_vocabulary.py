import numpy as np
import pytest
import tensorflow as tf

from keras_seq.data import SubwordVocabulary
from keras_seq.data.word_vocabulary import END_ID, UNK_ID

SENTENCES = [
    "Ein Mann spielt Gitarre .",
    "Zwei Männer spielen Gitarren im Park .",
    "Eine Frau spielt mit einem Hund , der bellt .",
    "Kinder spielen Fußball auf der Straße .",
] * 5


@pytest.fixture(scope="module")
def vocab():
    return SubwordVocabulary.build(SENTENCES, max_size=60)


def test_every_training_character_is_a_piece_in_both_places(vocab):
    characters = {c for s in SENTENCES for c in s if c != " "}
    assert all(c in vocab.tokens and "##" + c in vocab.tokens for c in characters)
    assert vocab.size <= 60 + 2 * len(characters)


def test_unseen_words_of_seen_characters_round_trip_without_unknowns(vocab):
    for sentence in ["Gitarrenspieler bellen laut .", "Straßenkinder , Männerfußball", "Ein Mann ."]:
        ids = vocab.encode(sentence)
        assert UNK_ID not in ids.tolist()
        assert vocab.decode(ids) == sentence  # cased, word for word
    assert len(vocab.encode("Gitarrenspieler")) > 1  # a rare word is spelled in pieces


def test_an_unseen_character_alone_is_unknown(vocab):
    ids = vocab.encode("Mann€ spielt", add_end=True).tolist()
    assert ids.count(UNK_ID) == 1 and ids[-1] == END_ID
    assert vocab.decode(ids) == "Mann [UNK] spielt"


def test_truncation_keeps_the_end_token(vocab):
    ids = vocab.encode("Zwei Männer spielen Gitarren", max_length=3, add_end=True)
    assert len(ids) == 3 and ids[-1] == END_ID


def test_words_rebuild_the_same_vocabulary(vocab):
    again = SubwordVocabulary(vocab.words)
    for sentence in SENTENCES[:4] + ["Gitarrenspieler"]:
        assert again.encode(sentence).tolist() == vocab.encode(sentence).tolist()


def test_tensorflow_splits_as_python_does(vocab):
    rng = np.random.default_rng(0)
    alphabet = list("aeinrsMGäüßx€Z.,")  # x, € and Z: unseen characters
    words = ["".join(rng.choice(alphabet, size=int(rng.integers(1, 25)))) for _ in range(200)] + ["Gitarren", "Fußball"]
    sentences = [" ".join(words[i : i + 5]) for i in range(0, len(words), 5)] + [""]
    table = vocab.lookup_table()
    got = vocab.tf_encode(table, tf.strings.split(tf.constant(sentences))).to_list()
    assert got == [vocab.encode(s).tolist() for s in sentences]
    joined = (
        vocab.tf_join(tf.constant([" ".join(vocab.tokens[i] for i in vocab.encode("Gitarren im Park"))]))
        .numpy()[0]
        .decode()
    )
    assert joined == "Gitarren im Park"
