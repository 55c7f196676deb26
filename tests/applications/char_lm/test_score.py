"""`CharLM.score` and `keras-seq char-lm score`: the chain rule over characters, in Python and in the export."""

import json
import math

import numpy as np
import pytest
import tensorflow as tf

from keras_seq.errors import UserInputError
from tests.applications.shared import exported, refuses_each, run_cli

TEXTS = ["To be, or not to be", "Whether 'tis nobler", "xq☃ to"]


def _stepwise(lm, text, ids=None):
    """The sum of the log-probabilities that generation's own step gives the text's tokens (or `ids`), one by one."""
    state = lm.initial_state(1)
    token, total = lm.start_id, 0.0
    for i in lm.tokens.encode(text) if ids is None else ids:
        logits, state = lm.step(tf.constant([token], tf.int32), state)
        total += float(tf.nn.log_softmax(logits[0])[i])
        token = int(i)
    return total


def test_a_texts_log_probability_is_the_chain_rule_of_the_generation_step(trained):
    lm = trained[0]
    scores = lm.score(TEXTS)
    for text, score in zip(TEXTS, scores):
        assert abs(score["log_probability"] - _stepwise(lm, text)) < 1e-4, text
        assert score["tokens"] == list(text) and len(score["surprisal_bits"]) == len(text)
        assert score["bits"] == pytest.approx(sum(score["surprisal_bits"]), abs=1e-2)
        assert score["bits"] == pytest.approx(-score["log_probability"] / math.log(2), rel=1e-5)
        assert score["perplexity"] == pytest.approx(math.exp(-score["log_probability"] / len(text)), rel=1e-5)
    assert [s["unknown"] for s in scores] == [0, 0, 2]  # x and ☃ are not in the training text
    # the trained text is likelier than its letters shuffled, character for character
    assert lm.score("To be, or not to be")["bits"] < lm.score("oT eb ,ro ton ot eb")["bits"] - 10


def test_the_exports_score_signature_gives_the_same_log_probabilities(trained, tmp_path):
    lm = trained[0]
    loaded = exported(lm, tmp_path / "export")
    out = loaded.signatures["score"](texts=tf.constant(TEXTS + [""]))
    expected = [s["log_probability"] for s in lm.score(TEXTS)] + [0.0]
    np.testing.assert_allclose(out["log_probability"].numpy(), expected, atol=1e-4)
    assert out["lengths"].numpy().tolist() == [len(t) for t in TEXTS] + [0]


def test_the_command_prints_a_line_per_text_then_json_and_draws_the_surprisal(trained, tmp_path, capsys):
    model = str(trained[-1])
    picture = tmp_path / "surprisal.png"
    code, out, _ = run_cli(capsys, "lm", "score", "--model-dir", model, *TEXTS[:2], "--plot", str(picture))  # an alias
    assert code == 0, out
    lines = out.strip().splitlines()
    assert "bits" in lines[0] and lines[0].endswith(TEXTS[0]) and lines[1].endswith(TEXTS[1])
    scores = json.loads(lines[-1])["scores"]
    assert [s["text"] for s in scores] == TEXTS[:2]
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_to_score_is_refused_in_one_line(trained, tmp_path, capsys):
    model = str(trained[-1])
    refuses_each(
        capsys,
        tmp_path,
        [
            (["char-lm", "score", "--model-dir", model], "no text"),
            (["char-lm", "score", "--model-dir", model, "☃☄"], "none of its tokens"),
            (["char-lm", "score", "--model-dir", model, "To be", "--plot", "{dir}/missing/s.png"], "no folder"),
        ],
    )
    for texts, match in [([], "no text"), ([""], "at least one character"), (["☃"], "none of its tokens")]:
        with pytest.raises(UserInputError, match=match):
            trained[0].score(texts)
