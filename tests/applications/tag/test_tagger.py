import json
import subprocess
import sys

import numpy as np
import pytest

from keras_seq.applications.tag import Tagger
from keras_seq.applications.tag.data import read_source
from keras_seq.errors import UserInputError
from tests.applications.shared import exported, same_after_reload
from tests.applications.tag.conftest import toy_news, write_conll


def test_it_learns_the_toy_entities(trained, tmp_path):
    tagger, history, validation, _ = trained
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    sentences, tags = toy_news(100, seed=7)
    metrics = tagger.evaluate(read_source(str(write_conll(tmp_path / "test.conll", sentences, tags))))
    assert metrics["f1"] > 90 and metrics["accuracy"] > 95, metrics
    assert set(metrics["per_type"]) == {"PER", "LOC"}


def test_tag_returns_tokens_tags_and_character_spans(trained):
    tagger, *_ = trained
    text = "Yesterday Ada Lovelace left Oslo for Kyoto."
    (result,) = tagger.tag(text)
    assert result["tokens"] == ["Yesterday", "Ada", "Lovelace", "left", "Oslo", "for", "Kyoto", "."]
    assert len(result["tags"]) == len(result["tokens"])
    for entity in result["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert {"type": "PER", "start": 10, "end": 22, "text": "Ada Lovelace"} in result["entities"]
    by_tokens = tagger.tag([["Mary", "flew", "to", "Lima", "."]])[0]
    assert by_tokens["tags"] == ["B-PER", "O", "O", "B-LOC", "O"]
    assert by_tokens["entities"][1] == {"type": "LOC", "start": 3, "end": 4, "text": "Lima"}


def test_long_sentences_are_tagged_in_pieces(trained):
    tagger, *_ = trained
    words = ["Tom", "flew", "to", "Paris", "."] * 30  # 150 tokens, max_length 100
    (result,) = tagger.tag([words])
    assert len(result["tags"]) == 150 and result["tags"][:4] == ["B-PER", "O", "O", "B-LOC"]


@pytest.mark.parametrize(
    "bad, match", [("", "empty"), ([], "no text"), ([3], "text 1 is neither"), ([["a", ""]], "text 1 is neither")]
)
def test_bad_input_to_tag(trained, bad, match):
    tagger, *_ = trained
    with pytest.raises(UserInputError, match=match):
        tagger.tag(bad)


def test_evaluate_refuses_tags_it_never_saw(trained, tmp_path):
    tagger, *_ = trained
    path = write_conll(tmp_path / "new.conll", [["Acme", "rose"]], [["B-ORG", "O"]])
    with pytest.raises(UserInputError, match="B-ORG never seen"):
        tagger.evaluate(read_source(str(path)))


def test_save_load_and_export_tag_alike(trained, tmp_path):
    tagger, _, validation, model_dir = trained
    sentences = [" ".join(words) for words in validation.sentences[:6]]
    expected = same_after_reload(tagger, model_dir, "tag", sentences)
    module = exported(tagger, tmp_path / "export")
    served = module.tag(np.array(sentences + ["Tom flew to Oslo ."], dtype=object))
    lengths = served["lengths"].numpy()
    for i, result in enumerate(expected):
        n = lengths[i]
        assert [t.decode() for t in served["tokens"].numpy()[i, :n]] == result["tokens"]
        assert [t.decode() for t in served["tags"].numpy()[i, :n]] == result["tags"]
    script = (
        "import json, sys, tensorflow as tf\n"
        "m = tf.saved_model.load(sys.argv[1])\n"
        "out = m.signatures['serving_default'](texts=tf.constant(['Mary lives near Cairo .']))\n"
        "print(json.dumps([t.decode() for t in out['tags'].numpy()[0]]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "export")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == tagger.tag("Mary lives near Cairo .")[0]["tags"]


@pytest.mark.slow  # the contract suite trains, evaluates and exports a softmax tagger in the default run
def test_a_softmax_head_trains_too(conll_file, tmp_path):
    from keras_seq.applications.tag import train
    from tests.applications.shared import quiet
    from tests.applications.tag.conftest import SMALL

    config = SMALL.replace(head="softmax", epochs=3, char_encoder="lstm")
    _, history = train(config, data=str(conll_file), model_dir=str(tmp_path / "m"), **quiet())
    assert history.history["loss"][-1] < history.history["loss"][0]
    (result,) = Tagger.load(str(tmp_path / "m")).tag("Omar flew to Lima .")
    assert len(result["tags"]) == 5 and set(result["tags"]) <= {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"}


def _prepared(conll_file, **overrides):
    from keras_seq.applications.tag.data import read_source
    from tests.applications.tag.conftest import SMALL

    data = read_source(str(conll_file))
    return Tagger.prepare(SMALL.replace(**overrides), data.subset(range(50)), data.subset(range(50, 60)))


def test_pretrained_vectors_are_a_frozen_feature(conll_file, tmp_path):
    from keras_seq.applications.tag import build_tagger

    vectors = tmp_path / "vectors.txt"
    vectors.write_text("paris 1 0\nmary 0 1\nflew 1 1\n", encoding="utf-8")
    prepared = _prepared(conll_file, word_vectors=str(vectors))
    table, words = prepared.assets["word_vectors"], prepared.assets["words"]
    assert table.shape == (len(words), 2) and np.any(table[words.index("paris")] != 0)
    assert not np.any(table[:2]) and not np.any(table[words.index("in")])  # padding, unknown, a word without a vector
    layer = build_tagger(prepared.config, **prepared.assets).get_layer("word_vectors")
    assert not layer.trainable and np.allclose(layer.get_weights()[0], table)


def test_words_known_only_to_the_vectors_join_the_vocabulary(conll_file):
    from keras_seq.applications.tag import build_tagger

    prepared = _prepared(conll_file, word_vectors="wordllama")
    words, seen = prepared.assets["words"], prepared.assets["seen_words"]
    assert len(words) > seen + 1000 and "wonderful" in words[seen:]  # wordllama knows words training never saw
    embedding = build_tagger(prepared.config, **prepared.assets).get_layer("word_embedding").get_weights()[0]
    assert not np.any(embedding[seen:]) and np.any(embedding[2:seen])  # unseen words: only their vector speaks


def test_words_seen_once_are_dropped_to_unknown_in_training(conll_file):
    import collections

    from keras_seq.applications.tag import build_tagger
    from keras_seq.applications.tag.data import read_source
    from keras_seq.applications.tag.preprocessor import word_key

    data = read_source(str(conll_file))
    prepared = _prepared(conll_file)
    words, rare = prepared.assets["words"], prepared.assets["rare_from"]
    counts = collections.Counter(word_key(w) for row in data.subset(range(50)).sentences for w in row)
    assert 2 < rare < len(words)
    assert all(counts[w] > 1 for w in words[2:rare]) and all(counts[w] == 1 for w in words[rare:])
    layer = build_tagger(prepared.config, **prepared.assets).get_layer("word_dropout")
    assert layer.first_id == rare and layer.rate == prepared.config.word_dropout
    off = build_tagger(prepared.config.replace(word_dropout=0.0), **prepared.assets)
    assert "word_dropout" not in [x.name for x in off.layers]


@pytest.mark.slow  # about a minute: the default tagger on the embedded corpus
def test_new_names_of_the_embedded_corpus_are_found(tmp_path):
    from keras_seq.applications.tag import TaggerConfig, train
    from keras_seq.applications.tag.data import read_source
    from tests.applications.shared import quiet

    config = TaggerConfig(epochs=4, patience=0)
    tagger, _ = train(config, model_dir=str(tmp_path / "m"), **quiet())
    test = read_source("embedded", "test")
    scores = tagger.evaluate(test)
    assert scores["f1"] > 90 and scores["per_type"]["PER"]["recall"] > 85  # names training never showed
