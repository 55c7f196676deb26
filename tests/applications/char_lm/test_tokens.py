"""`--tokens word|subword`: the language model over words and subwords, scored and evaluated on the per-word scale."""

import numpy as np
import pytest
import tensorflow as tf

from keras_seq.applications.char_lm import CharLM, CharLMConfig, train
from keras_seq.applications.char_lm.tokens import TextTokens, count_words
from keras_seq.errors import UserInputError
from tests.applications.char_lm.test_score import _stepwise
from tests.applications.shared import exported, quiet, refuses_each

LINES = "The cat is black.\nThe dog is white, and the cat is black.\nA cat sat on the mat.\n" * 30


def test_lines_become_end_tokens_and_come_back():
    tokens = TextTokens.build("word", "the cat\nthe dog, he said\n", max_vocab=100)
    ids = tokens.encode("the cat\nthe bird, he said")
    assert tokens.pieces(ids) == ["the", "cat", "\n", "the", "[UNK]", ",", "he", "said"]
    assert tokens.decode(ids) == "the cat\nthe [UNK], he said"
    assert tokens.continuation(tokens.encode("dog")) == " dog" and tokens.continuation(tokens.encode(", he")) == ", he"
    assert tokens.continuation(tokens.encode("\nthe")) == "\nthe"
    subwords = TextTokens.build("subword", "the catalog\nthe cat\n", max_vocab=40)
    assert subwords.decode(subwords.encode("the cog\ncat")) == "the cog\ncat"  # pieces: no unknown for seen letters
    assert count_words("the cat\nthe dog") == 5  # four words and one line end
    with pytest.raises(UserInputError, match="empty vocabulary"):
        TextTokens.build("word", " \n \n", max_vocab=100)


def _trained(folder, kinds, **fields):
    """Small models of `LINES`, one per tokens kind, each loaded back from its folder (the tokens travel in the
    file): `{kind: (lm, model_dir)}`."""
    (folder / "lines.txt").write_text(LINES, encoding="utf-8")
    models = {}
    for kind, length in kinds.items():
        config = CharLMConfig(tokens=kind, units=24, embedding_dim=16, sequence_length=length, batch_size=8, **fields)
        config = config.replace(learning_rate=1e-2, max_vocab=60)
        train(config, data=str(folder / "lines.txt"), model_dir=str(folder / kind), samples=False, **quiet())
        models[kind] = (CharLM.load(str(folder / kind)), folder / kind)
    return models


@pytest.fixture(scope="module")
def word_models(tmp_path_factory):
    return _trained(tmp_path_factory.mktemp("tokens"), {"word": 12, "subword": 12}, epochs=4)


@pytest.mark.parametrize("kind", ["word", "subword"])
def test_a_word_or_subword_model_generates_scores_by_the_chain_rule_and_evaluates_per_word(word_models, kind):
    lm, _ = word_models[kind]
    assert lm.config.tokens == kind and lm.tokens.kind == kind
    text = lm.generate("The cat", max_length=8, seed=0)
    assert isinstance(text, str) and text.strip()
    for phrase in ["The cat is black.", "A dog sat on the mat.\nThe cat"]:
        score = lm.score(phrase)
        assert abs(score["log_probability"] - _stepwise(lm, phrase)) < 1e-4, phrase
    assert lm.score("The cat is black.")["bits"] < lm.score("black. is cat The")["bits"]  # it learned the order
    metrics = lm.evaluate(LINES[:600])
    assert metrics["tokens"] >= metrics["words"] > 50  # punctuation and pieces are tokens of their own
    assert metrics["per_word_perplexity"] >= metrics["perplexity"]
    assert 0 < metrics["bits_per_char"] < 8 and metrics["unknown_rate"] < 0.05


@pytest.mark.parametrize("kind", ["word", "subword"])
def test_the_export_encodes_scores_and_generates_words_as_python_does(word_models, kind, tmp_path):
    lm, _ = word_models[kind]
    loaded = exported(lm, tmp_path / "export")
    texts = ["The cat is black.", "A dog sat, on the mat.\nThe cat", "the zebra"]  # zebra: unknown
    out = loaded.signatures["score"](texts=tf.constant(texts))
    np.testing.assert_allclose(out["log_probability"], [s["log_probability"] for s in lm.score(texts)], atol=1e-4)
    assert out["lengths"].numpy().tolist() == [len(lm.tokens.encode(t)) for t in texts]
    for prompt in ["The cat", "", "A dog sat,"]:
        served = loaded.generate(tf.constant(prompt), tf.constant(9), tf.constant(1.0), tf.constant(1)).numpy().decode()
        assert served == lm.generate(prompt, max_length=9, top_k=1, seed=0), prompt


def test_an_empty_vocabulary_is_refused(word_models, tmp_path, capsys):
    _, model_dir = word_models["word"]
    lines = str(model_dir.parent / "lines.txt")
    args = ["char-lm", "train", "--data", lines, "--tokens", "word", "--max-vocab", "4", "--model-dir", "{dir}/m"]
    refuses_each(capsys, tmp_path, [(args, "empty vocabulary")])
    assert not (tmp_path / "m").exists()


@pytest.fixture(scope="module")
def sentence_models(tmp_path_factory):
    models = _trained(tmp_path_factory.mktemp("sentences"), {"char": 48, "word": 12}, unit="sentence", epochs=5)
    return {kind: lm for kind, (lm, _) in models.items()}


@pytest.mark.parametrize("kind", ["char", "word"])
def test_a_sentence_model_starts_at_begin_stops_at_end_and_scores_the_end_too(sentence_models, kind, tmp_path):
    lm = sentence_models[kind]
    sentence = lm.generate("", max_length=60, seed=0)
    assert "\n" not in sentence and sentence.strip()  # one sentence: generation stopped at [END]
    for text in ["The cat is black.", "A cat sat on the mat."]:
        ids = lm.tokens.sentence(text)  # its tokens and [END], from [BEGIN]
        assert ids[-1] == lm.tokens.end_id
        assert abs(lm.score(text)["log_probability"] - _stepwise(lm, text, ids)) < 1e-4
    ended, cut = lm.score("The cat is black.")["surprisal_bits"][-1], lm.score("The cat is")["surprisal_bits"][-1]
    assert ended < cut  # [END] is likelier after "black." than after "is"
    metrics = lm.evaluate(LINES[:300])
    assert metrics["words"] == count_words(LINES[:300].rstrip("\n") + "\n") and metrics["tokens"] > 0  # every line
    with pytest.raises(UserInputError, match="line breaks"):
        lm.score("The cat\nThe dog")
    loaded = exported(lm, tmp_path / "export")  # the export scores sentences with their [END] too
    out = loaded.signatures["score"](texts=tf.constant(["The cat is black.", "A cat"]))
    np.testing.assert_allclose(
        out["log_probability"], [lm.score(t)["log_probability"] for t in ["The cat is black.", "A cat"]], atol=1e-4
    )
    served = loaded.generate(tf.constant(""), tf.constant(60), tf.constant(1.0), tf.constant(1)).numpy().decode()
    assert served == lm.generate("", max_length=60, top_k=1, seed=0) and "\n" not in served


def test_sentence_mode_refuses_a_text_without_line_breaks(tmp_path, capsys):
    (tmp_path / "one.txt").write_text("The cat is black. " * 200, encoding="utf-8")
    args = ["char-lm", "train", "--data", str(tmp_path / "one.txt"), "--unit", "sentence", "--model-dir", "{dir}/m"]
    refuses_each(capsys, tmp_path, [(args, "no line breaks")])
    assert not (tmp_path / "m").exists()


def test_the_litert_step_of_a_word_model_gives_the_same_log_probabilities(word_models, tmp_path):
    import json

    from ai_edge_litert.interpreter import Interpreter

    lm, _ = word_models["word"]
    lm.export(str(tmp_path / "litert"), format="litert")
    about = json.loads((tmp_path / "litert" / "vocabulary.json").read_text(encoding="utf-8"))
    assert (about["tokens"], about["words"], about["start_id"]) == ("word", lm.tokens.vocabulary.words, 3)
    step = Interpreter(model_path=str(tmp_path / "litert" / "model.tflite")).get_signature_runner("step")
    text = "The dog is white, and the cat is black."
    token, total = about["start_id"], 0.0
    for i in lm.tokens.encode(text):  # the states stay in the interpreter from call to call
        logits = step(ids=np.array([token], np.int32))["logits"][0].astype("float64")
        total += logits[i] - logits.max() - np.log(np.exp(logits - logits.max()).sum())
        token = int(i)
    assert abs(total - lm.score(text)["log_probability"]) < 1e-4
