import os

import numpy as np
import pytest
import tensorflow as tf

from keras_seq.applications.char_lm import CharLM
from keras_seq.errors import UserInputError
from tests.applications.char_lm.conftest import TEXT
from tests.applications.shared import exported


def test_training_learns_and_saves_everything(trained):
    lm, history, model_dir = trained
    losses = history.history["val_loss"]
    assert losses[-1] < losses[0] and losses[-1] < 2.0  # a repetitive text is learned
    assert sorted(f for f in os.listdir(model_dir) if not f.startswith(".")) == [
        "logs",
        "model.keras",
    ]  # the .keras file is the whole model
    assert not [f for f in os.listdir(model_dir) if f.startswith(".")]  # no leftovers


def test_generation_reproduces_the_text(trained):
    lm, _, _ = trained
    out = lm.generate("To be, or not to ", max_length=20, temperature=0.05, seed=0)
    assert out.startswith("be, that is")


def test_batched_prompts_empty_prompt_and_unknown_characters(trained):
    lm, _, _ = trained
    outs = lm.generate(["Whether", "", "ñ€ unknown ☃"], max_length=15, temperature=0.5, seed=3)
    assert len(outs) == 3 and all(len(o) == 15 for o in outs)
    # one prompt alone gives what it gives in a batch
    alone = lm.generate("Whether", max_length=15, temperature=0.05, seed=1)
    batched = lm.generate(["Whether", "To be"], max_length=15, temperature=0.05, seed=1)[0]
    assert alone == batched


def test_same_seed_same_text(trained):
    lm, _, _ = trained
    a = lm.generate("To", max_length=40, temperature=1.5, seed=7)
    b = lm.generate("To", max_length=40, temperature=1.5, seed=7)
    c = lm.generate("To", max_length=40, temperature=1.5, seed=8)
    assert a == b and a != c


def test_stream_gives_the_generated_text_in_pieces(trained):
    lm, _, _ = trained
    pieces = list(lm.stream("To be", max_length=40, temperature=0.7, seed=5, chunk=16))
    assert [len(p) for p in pieces] == [16, 16, 8]
    assert "".join(pieces) == lm.generate("To be", max_length=40, temperature=0.7, seed=5)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"temperature": 0}, "temperature"),
        ({"temperature": -1}, "temperature"),
        ({"max_length": -1}, "max_length"),
        ({"max_length": 10**9}, "from 0 to 100,000"),  # capped, not a buffer that fills the memory
        ({"top_p": 0}, "top_p"),
    ],
)
def test_bad_generation_arguments(trained, kwargs, match):
    lm, _, _ = trained
    with pytest.raises(UserInputError, match=match):
        lm.generate("To", **{"max_length": 5, **kwargs})


def test_load_and_evaluate(trained):
    lm, _, model_dir = trained
    loaded = CharLM.load(str(model_dir))
    metrics = loaded.evaluate(TEXT[-400:])
    assert metrics["val_loss"] < 2.0
    np.testing.assert_allclose(metrics["bits_per_char"], metrics["val_loss"] / np.log(2), rtol=1e-3)
    np.testing.assert_allclose(metrics["perplexity"], np.exp(metrics["val_loss"]), rtol=1e-3)
    with pytest.raises(UserInputError, match="no trained char LM"):
        CharLM.load(str(model_dir / "nothing"))


def test_export_generates_like_the_task(trained, tmp_path):
    lm, _, _ = trained
    loaded = exported(lm, tmp_path / "export")
    greedy_like = (
        loaded.generate(tf.constant("To be, or not to "), tf.constant(12), tf.constant(0.05), tf.constant(1))
        .numpy()
        .decode()
    )
    assert greedy_like == lm.generate("To be, or not to ", max_length=12, temperature=0.05, top_k=1, seed=0)
    batch = loaded.generate_batch(tf.constant(["", "ñ☃"]), tf.constant(5), tf.constant(1.0), tf.constant(0)).numpy()
    assert batch.shape == (2,)
    with pytest.raises(tf.errors.InvalidArgumentError, match="temperature"):
        loaded.generate(tf.constant("To"), tf.constant(5), tf.constant(0.0), tf.constant(0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="at most 100000"):
        loaded.generate_batch(tf.constant(["To"] * 64), tf.constant(2**30), tf.constant(1.0), tf.constant(0))


def test_the_export_serves_eight_threads_at_once_with_the_answers_of_single_calls(trained, tmp_path):
    from keras_seq.export import load_test

    lm, _, _ = trained
    served = exported(lm, tmp_path / "export")
    prompts = ["To be", "Whether", "", "ñ☃ the"]

    def call(prompt):  # top_k 1: one answer per prompt
        return served.generate(tf.constant(prompt), tf.constant(20), tf.constant(1.0), tf.constant(1)).numpy().decode()

    report = load_test(call, prompts, threads=8, seconds=3.0)
    assert report["errors"] == 0, report["first_error"]
    assert report["mismatches"] == 0 and report["calls"] >= 8, report
    assert report["p50_ms"] > 0 and report["requests_per_s"] > 0
