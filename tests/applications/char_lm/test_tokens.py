"""`--tokens word|subword`: the language model over words and subwords, scored and evaluated on the per-word scale."""

import pytest

from keras_seq.applications.char_lm import CharLM, CharLMConfig, train
from keras_seq.applications.char_lm.tokens import TextTokens, count_words
from keras_seq.errors import UserInputError
from tests.applications.char_lm.test_score import _stepwise
from tests.applications.shared import quiet, refuses_each

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


@pytest.fixture(scope="module")
def word_models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tokens")
    (folder / "lines.txt").write_text(LINES, encoding="utf-8")
    models = {}
    for kind in ("word", "subword"):
        config = CharLMConfig(tokens=kind, units=24, embedding_dim=16, sequence_length=12, batch_size=8, epochs=4)
        config = config.replace(learning_rate=1e-2, max_vocab=60)
        train(config, data=str(folder / "lines.txt"), model_dir=str(folder / kind), samples=False, **quiet())
        models[kind] = (CharLM.load(str(folder / kind)), folder / kind)  # loaded back: the tokens travel in the file
    return models


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


def test_word_models_refuse_what_they_cannot_do_yet(word_models, tmp_path, capsys):
    _, model_dir = word_models["word"]
    lines = str(model_dir.parent / "lines.txt")
    refuses_each(
        capsys,
        tmp_path,
        [
            (["char-lm", "export", "--model-dir", str(model_dir), "--export-dir", "{dir}/out"], "no export yet"),
            (
                ["char-lm", "train", "--data", lines, "--tokens", "word", "--max-vocab", "4", "--model-dir", "{dir}/m"],
                "empty vocabulary",
            ),
        ],
    )
    assert not (tmp_path / "out").exists() and not (tmp_path / "m").exists()


@pytest.fixture(scope="module")
def sentence_models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sentences")
    (folder / "lines.txt").write_text(LINES, encoding="utf-8")
    models = {}
    for kind in ("char", "word"):
        config = CharLMConfig(tokens=kind, unit="sentence", units=24, embedding_dim=16, batch_size=8, epochs=5)
        config = config.replace(learning_rate=1e-2, max_vocab=60, sequence_length=48 if kind == "char" else 12)
        train(config, data=str(folder / "lines.txt"), model_dir=str(folder / kind), samples=False, **quiet())
        models[kind] = CharLM.load(str(folder / kind))
    return models


@pytest.mark.parametrize("kind", ["char", "word"])
def test_a_sentence_model_starts_at_begin_stops_at_end_and_scores_the_end_too(sentence_models, kind):
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


def test_sentence_mode_refuses_a_text_without_line_breaks(tmp_path, capsys):
    (tmp_path / "one.txt").write_text("The cat is black. " * 200, encoding="utf-8")
    args = ["char-lm", "train", "--data", str(tmp_path / "one.txt"), "--unit", "sentence", "--model-dir", "{dir}/m"]
    refuses_each(capsys, tmp_path, [(args, "no line breaks")])
    assert not (tmp_path / "m").exists()
