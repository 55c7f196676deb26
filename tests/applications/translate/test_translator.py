import numpy as np
import pytest
import tensorflow as tf

from keras_seq.applications.translate import Translator, build_translator
from keras_seq.errors import UserInputError
from tests.applications.shared import exported, same_after_reload
from tests.applications.translate.conftest import SMALL


def test_learns_the_toy_language(trained):
    translator, history, val_pairs, _ = trained
    assert history.history["val_loss"][-1] < 0.5 * history.history["val_loss"][0]
    metrics = translator.evaluate(val_pairs)
    assert metrics["bleu_greedy"] > 50 and metrics["bleu_beam"] > 50
    assert translator.translate("red cat", beam_width=1) == "katze rot"


def test_beam_width_one_is_greedy_and_attention_shapes(trained):
    translator, _, val_pairs, _ = trained
    sentences = val_pairs.sources[:6]
    greedy = translator.translate(sentences, beam_width=1)
    one_beam = [
        translator.target_vocab.decode(row)
        for row in translator._beam_ids(1)(translator.encode_sources(sentences), tf.constant(24), tf.constant(0.0))[
            0
        ].numpy()[:, 0]
    ]
    assert greedy == one_beam
    out, attention = translator.translate(["big dog sees a cat"], beam_width=3, return_attention=True)
    ((source_tokens, target_tokens, weights),) = attention
    assert source_tokens == ["big", "dog", "sees", "a", "cat"]
    assert weights.shape == (len(target_tokens), 5)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)


def test_plot_attention(trained, tmp_path):
    translator, _, _, _ = trained
    path = str(tmp_path / "att.png")
    translator.plot_attention("small red dog", path)
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_bad_input(trained):
    translator, _, _, _ = trained
    with pytest.raises(UserInputError, match="sentence 2 is empty"):
        translator.translate(["red cat", " "])
    with pytest.warns(UserWarning, match="truncated"):
        translator.translate(["red " * 30])
    assert translator.translate("purple elephant") is not None  # unknown words
    # huge or non-finite decoding arguments: refused, with the cap named
    for kwargs, match in (
        ({"beam_width": 10_000}, "from 1 to 64"),
        ({"max_length": 10**7}, "from 1 to 1024"),
        ({"length_penalty": float("nan")}, "finite"),
    ):
        with pytest.raises(ValueError, match=match):
            translator.translate("red cat", **kwargs)


def test_save_load_and_export_translate_alike(trained, tmp_path):
    translator, _, val_pairs, model_dir = trained
    sentences = val_pairs.sources[:5]
    expected = same_after_reload(translator, model_dir, "translate", sentences)
    module = exported(translator, tmp_path / "export")
    got = [t.decode() for t in module.translate(tf.constant(sentences + [""])).numpy()]
    assert got == expected + [""]


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"cell": "lstm", "attention": "luong"}, marks=pytest.mark.slow),
        pytest.param({"attention": "luong", "use_bias": False}, marks=pytest.mark.slow),
        {"input_feeding": True, "scheduled_sampling": 0.2, "label_smoothing": 0.1, "embedding_dropout": 0.3},
    ],
)
def test_builder_variants_train(overrides):
    config = SMALL.replace(src_vocab_size=20, tgt_vocab_size=20, **overrides)
    model = build_translator(config)
    src = np.random.default_rng(0).integers(1, 20, (8, 6))
    tgt = np.random.default_rng(1).integers(1, 20, (8, 5))
    history = model.fit([src, tgt], tgt, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


@pytest.mark.slow
def test_tied_embeddings_train_translate_and_export(tsv_file, tmp_path):
    from keras_seq.applications.translate import train

    model_dir = tmp_path / "tied"
    translator, history = train(
        SMALL.replace(tie_embeddings=True, epochs=2, validation_split=0.1),
        data=str(tsv_file),
        model_dir=str(model_dir),
        verbose=0,
        print_fn=lambda *a: None,
    )
    val_pairs = history.validation_examples
    names = [layer.name for layer in translator.model.layers]
    assert "logits" not in names  # no separate output layer
    assert history.history["loss"][-1] < history.history["loss"][0]
    untied = build_translator(translator.config.replace(tie_embeddings=False))
    assert translator.model.count_params() < untied.count_params()
    sentences = val_pairs.sources[:4]
    expected = translator.translate(sentences, beam_width=3)
    assert Translator.load(str(model_dir)).translate(sentences, beam_width=3) == expected
    module = exported(translator, tmp_path / "export")
    got = [t.decode() for t in module.translate(tf.constant(sentences)).numpy()]
    assert got == translator.translate(sentences)


@pytest.mark.slow  # 56 s; the layer's own tests check location-sensitive attention in the default run
def test_location_attention_trains_and_translates_with_beam_search_and_the_export(tsv_file, tmp_path):
    from keras_seq.applications.translate import train

    config = SMALL.replace(attention="location", epochs=2, validation_split=0.1)
    translator, history = train(
        config, data=str(tsv_file), model_dir=str(tmp_path / "m"), verbose=0, print_fn=lambda *a: None
    )
    assert history.history["loss"][-1] < history.history["loss"][0]
    sentences = [
        "a red cat",
        "the big dog sees a small blue cat",
    ]  # two source lengths: the alignments' state is masked
    greedy, beam = translator.translate(sentences, beam_width=1), translator.translate(sentences, beam_width=3)
    assert all(isinstance(t, str) for t in greedy + beam)
    module = exported(translator, tmp_path / "export")  # kept: its variables live as long as it does
    got = [t.decode() for t in module.translate(tf.constant(sentences)).numpy()]
    assert got == translator.translate(sentences)


def test_no_repeat_ngram_keeps_repeated_phrases_out_and_is_reported(trained):
    from keras_seq.data import repeated_ngram_rate

    translator, _, val_pairs, _ = trained
    sources = ["blue blue blue blue cat", "a a a a dog"]  # ask for repeated words
    assert translator.config.no_repeat_ngram == 3  # the translator's default
    plain = translator.translate(sources, beam_width=3, no_repeat_ngram=0)
    banned = translator.translate(sources, beam_width=3, no_repeat_ngram=2)
    assert repeated_ngram_rate(plain, 2) > 0 and repeated_ngram_rate(banned, 2) == 0, (plain, banned)
    assert translator.translate(sources, beam_width=1, no_repeat_ngram=2) != translator.translate(
        sources, beam_width=1, no_repeat_ngram=0
    )
    metrics = translator.evaluate(val_pairs)
    assert 0 <= metrics["repeated_3gram_greedy"] <= 1 and "repeated 3-gram" in translator.describe(metrics)
    assert metrics["unknown_words_greedy"] == sum(
        t.split().count("[UNK]") for t in translator.translate(val_pairs.sources, beam_width=1)
    )
    with pytest.raises(ValueError, match="no_repeat_ngram"):
        translator.translate(sources, no_repeat_ngram=1)


def test_subword_default_spells_unseen_words_of_seen_characters(trained):
    from keras_seq.data.word_vocabulary import UNK_ID

    translator, _, _, _ = trained
    assert translator.config.vocabulary == "subword" and not translator.config.lowercase
    ids = translator.encode_sources(["a bladder", "a purple cat"])  # "bladder": known letters; "p", "h": never seen
    assert UNK_ID not in ids[0].tolist()
    assert ids[1].tolist().count(UNK_ID) == 2  # the two "p"s of "purple", each alone
    assert translator.source_vocab.decode(ids[0]) == "a bladder"


@pytest.mark.parametrize(
    "vocabulary, lowercase",
    [("subword", False), pytest.param("word", True, marks=pytest.mark.slow)],  # word: 7 s
)
def test_in_graph_encoding_matches_training_and_the_export_matches_python(vocabulary, lowercase, tmp_path):
    from keras_seq.applications.translate.data import Pairs, encode_pairs, normalized
    from keras_seq.data import VOCABULARIES
    from tests.applications.translate.conftest import toy_pairs

    pairs = Pairs(*zip(*[(s.capitalize() + ".", t.capitalize() + ".") for s, t in toy_pairs(200)]), "toy")
    config = SMALL.replace(vocabulary=vocabulary, lowercase=lowercase)
    sources, targets = normalized(pairs, lowercase)
    source_vocab, target_vocab = (VOCABULARIES[vocabulary].build(texts, 40) for texts in (sources, targets))
    translator = Translator(build_translator(config, source_vocab, target_vocab))
    test_sources = list(pairs.sources[:5]) + ["Bladder, cat!", "Zebra"]
    test_targets = list(pairs.targets[:5]) + ["Katze.", "Zebra"]
    (src, tgt_in), tgt_out = translator.encode_batch(tf.constant(test_sources), tf.constant(test_targets))
    expected = encode_pairs(
        *normalized(Pairs(test_sources, test_targets, "t"), lowercase), source_vocab, target_vocab, config.max_length
    )
    for got, want in zip((src, tgt_in, tgt_out), expected):
        assert [row[row != 0].tolist() for row in got.numpy()] == [w.tolist() for w in want]
    module = exported(translator, tmp_path / "export")
    got = [t.decode() for t in module.translate(tf.constant(test_sources)).numpy()]
    assert got == translator.translate(test_sources)  # [UNK] included, as Python writes it
