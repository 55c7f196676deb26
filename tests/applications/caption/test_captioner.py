import numpy as np
import pytest
import tensorflow as tf

from keras_seq.applications.caption import Captioner, CaptionerConfig, build_captioner
from keras_seq.applications.caption.data import embedded_split
from keras_seq.data import WordVocabulary
from keras_seq.errors import UserInputError
from tests.applications.caption.conftest import SMALL
from tests.applications.shared import exported, same_after_reload


def test_learns_to_read_the_strips(trained):
    captioner, history, validation, _ = trained
    assert history.history["val_loss"][-1] < 0.5 * history.history["val_loss"][0]
    metrics = captioner.evaluate(validation)
    assert metrics["exact_match_greedy"] > 0.5 and metrics["exact_match_beam"] > 0.5
    assert metrics["cider_beam"] > 1.0 and metrics["bleu_1_beam"] >= metrics["bleu_4_beam"]
    assert set(metrics) >= {f"bleu_{n}_{m}" for n in range(1, 5) for m in ("greedy", "beam")}


def test_paths_bytes_and_arrays_caption_alike(trained):
    captioner, _, validation, _ = trained
    path = validation.images[0]
    with open(path, "rb") as f:
        encoded = f.read()
    from keras_seq.applications.caption import read_image

    pixels = read_image(path)
    gray = pixels.mean(-1).astype("uint8")  # (H, W): made RGB
    captions = captioner.caption([path, encoded, pixels], beam_width=1)
    assert captions[0] == captions[1] == captions[2]
    assert captioner.caption(path, beam_width=1) == captions[0]  # one image: one caption
    assert len(captioner.caption([gray, pixels[:10, :30]], beam_width=2)) == 2  # another size: resized


def test_attention_over_the_grid_and_its_overlay(trained, tmp_path):
    captioner, _, validation, _ = trained
    image = validation.images[0]
    weights, words = captioner.attention(image, validation.captions[0][0])
    assert words[-1] == "[END]" and weights.shape == (len(words), *captioner.grid_shape())
    np.testing.assert_allclose(weights.sum((1, 2)), 1.0, atol=1e-5)
    path = tmp_path / "overlay.png"
    captioner.plot_attention(image, str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(UserInputError, match="folder"):
        captioner.plot_attention(image, str(tmp_path / "missing" / "a.png"))


def test_bad_images_are_one_clear_error(trained, tmp_path):
    captioner, _, _, _ = trained
    (tmp_path / "text.png").write_text("not an image")
    for images, match in [
        ([], "no image"),
        ([str(tmp_path / "absent.png")], "no such file"),
        ([str(tmp_path / "text.png")], "not an image"),
    ]:
        with pytest.raises(UserInputError, match=match):
            captioner.caption(images)


def test_save_load_and_export_caption_alike(trained, tmp_path):
    captioner, _, validation, model_dir = trained
    paths = validation.images[:4]
    expected = same_after_reload(captioner, model_dir, "caption", paths)
    module = exported(captioner, tmp_path / "export")
    encoded = [open(p, "rb").read() for p in paths]
    assert [c.decode() for c in module.caption(tf.constant(encoded)).numpy()] == expected
    assert [
        c.decode() for c in module.signatures["serving_default"](images=tf.constant(encoded[:1]))["captions"].numpy()
    ] == expected[:1]


def test_a_decoder_started_from_zeros_captions_and_exports(tmp_path):
    vocabulary = WordVocabulary(["one", "two"])
    captioner = Captioner(build_captioner(SMALL.replace(init_from_mean=False, max_length=4), vocabulary))
    image = np.full((20, 50, 3), 200, "uint8")
    caption = captioner.caption(image, beam_width=2)
    assert isinstance(caption, str) and len(caption.split()) <= 4
    weights, words = captioner.attention(image, "one two")
    assert words == ["one", "two", "[END]"] and weights.shape == (3, *captioner.grid_shape())
    captioner.export(str(tmp_path / "export"))
    encoded = tf.io.encode_png(tf.constant(image))
    module = tf.saved_model.load(str(tmp_path / "export"))  # kept: its variables live as long as it does
    assert module.caption(tf.stack([encoded])).numpy()[0].decode() == caption


def test_the_options_build_and_the_penalty_adds_a_loss():
    vocabulary = WordVocabulary(["one", "two"])
    images, captions = np.zeros((2, 20, 50, 3), "uint8"), np.array([[2, 4, 5], [2, 5, 0]], "int32")
    for options in [
        {"attention": "none", "init_from_mean": False, "context_gate": False, "cell": "lstm"},
        {"attention": "luong", "position_embedding": False},
    ]:
        model = build_captioner(SMALL.replace(**options), vocabulary)
        assert model((images, captions)).shape == (2, 3, vocabulary.size)
    penalized = build_captioner(SMALL.replace(attention_penalty=1.0), vocabulary)
    penalized((images, captions))
    assert len(penalized.losses) == 1 and float(penalized.losses[0]) > 0
    assert not build_captioner(SMALL.replace(attention_penalty=0.0), vocabulary).losses


def test_a_backbone_from_a_weights_file(tmp_path):
    import keras

    weights = str(tmp_path / "backbone.weights.h5")
    keras.applications.MobileNetV3Small(include_top=False, weights=None, input_shape=(64, 64, 3)).save_weights(weights)
    config = SMALL.replace(backbone="mobilenet_v3_small", backbone_weights=weights, image_height=64, image_width=64)
    model = build_captioner(config, WordVocabulary(["one"]))
    network = model.get_layer("backbone").image_network  # the keras.applications network
    assert not network.trainable and model((np.zeros((1, 40, 40, 3)), np.array([[2, 4]]))).shape == (1, 2, 5)
    assert (
        build_captioner(config.replace(fine_tune=True), WordVocabulary(["one"]))
        .get_layer("backbone")
        .image_network.trainable
    )
    with pytest.raises(UserInputError, match="no such file"):
        CaptionerConfig(backbone="mobilenet_v3_small", backbone_weights=str(tmp_path / "none.h5")).validate()


def test_the_embedded_splits():
    longer = embedded_split("longer")
    assert {len(c[0].split()) for c in longer.captions} == {5} and len(longer) == 500
    with pytest.raises(UserInputError, match="splits"):
        embedded_split("nope")


def test_the_backbone_names_of_the_flags_are_the_builders():
    from keras_seq.applications.caption.config import BACKBONES
    from keras_seq.applications.caption.model import BACKBONE_FUNCTIONS

    assert set(BACKBONES) == {"none", *BACKBONE_FUNCTIONS}


def test_the_backbone_round_trips_its_config_and_its_step_is_the_networks():
    from keras_seq.applications.caption import CaptionerBackbone

    images, captions = (
        np.random.default_rng(0).integers(0, 255, (2, 20, 50, 3)).astype("float32"),
        np.array([[2, 4, 5]]),
    )
    captions = np.repeat(captions, 2, axis=0).astype("int32")
    backbone = build_captioner(SMALL, WordVocabulary(["one", "two"])).get_layer("backbone")
    clone = CaptionerBackbone.from_config(backbone.get_config())
    assert clone.get_config() == backbone.get_config()
    clone(images, captions)
    clone.set_weights(backbone.get_weights())
    np.testing.assert_allclose(np.asarray(clone(images, captions)), np.asarray(backbone(images, captions)), atol=1e-5)
    memory, state = backbone.encode(images)
    logits, _ = backbone.step(captions[:, 0], state, memory)
    np.testing.assert_allclose(np.asarray(logits), np.asarray(backbone(images, captions[:, :1]))[:, 0], atol=1e-5)
    rows, columns = backbone.grid_shape
    assert backbone.alignments(images, captions).shape == (2, 3, rows * columns)
