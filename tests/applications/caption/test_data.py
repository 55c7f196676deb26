import json

import numpy as np
import pytest
from PIL import Image

from keras_seq.applications.caption.data import embedded_captions, read_folder, read_image
from keras_seq.errors import UserInputError


def write_image(path, mode="RGB", size=(12, 10)):
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "I;16":
        Image.fromarray(np.full(size[::-1], 40000, "uint16")).save(path)
    else:
        Image.new(mode, size, color=200 if mode in ("L", "P") else (200,) * len(mode)).save(path)
    return path


def test_the_three_caption_formats_give_the_same_data(tmp_path):
    for name in ("a.jpg", "b.png"):
        write_image(tmp_path / "flickr" / "Images" / name)
        write_image(tmp_path / "csv" / name)
        write_image(tmp_path / "coco" / "images" / name)
    (tmp_path / "flickr" / "Flickr8k.token.txt").write_text(
        "a.jpg#0\tA dog runs .\na.jpg#1\tA  dog,  running\nb.png#0\tTwo cats\n"
    )
    (tmp_path / "csv" / "captions.csv").write_text(
        'image,caption\na.jpg,A dog runs .\na.jpg,"A  dog,  running"\nb.png,Two cats\n'
    )
    coco = {"images": [{"id": 7, "file_name": "a.jpg"}, {"id": 9, "file_name": "b.png"}]}
    coco["annotations"] = [
        {"image_id": 7, "caption": "A dog runs ."},
        {"image_id": 7, "caption": "A dog, running"},
        {"image_id": 9, "caption": "Two cats"},
    ]
    (tmp_path / "coco" / "captions_train2017.json").write_text(json.dumps(coco))
    for folder in ("flickr", "csv", "coco"):
        data = read_folder(str(tmp_path / folder))
        assert [p.rsplit("/", 1)[-1] for p in data.images] == ["a.jpg", "b.png"]
        assert data.captions == [["A dog runs .", "A dog, running"], ["Two cats"]]
        assert len(data.pairs()) == 3
    assert read_folder(str(tmp_path / "csv" / "captions.csv")).captions == data.captions  # the captions file itself


def test_bad_pairs_are_skipped_and_counted(tmp_path):
    write_image(tmp_path / "good.png")
    write_image(tmp_path / "gray.png", "L")
    write_image(tmp_path / "rgba.png", "RGBA")
    write_image(tmp_path / "deep.png", "I;16")
    (tmp_path / "text.jpg").write_text("not an image")
    (tmp_path / "cut.png").write_bytes(write_image(tmp_path / "whole.png", size=(64, 64)).read_bytes()[:60])
    names = ["good.png", "gray.png", "rgba.png", "deep.png", "text.jpg", "cut.png", "absent.jpg"]
    lines = [f"{name},a caption" for name in names] + ["good.png,  ...  "]
    (tmp_path / "captions.csv").write_text("\n".join(lines))
    with pytest.warns(UserWarning) as caught:
        data = read_folder(str(tmp_path))
    messages = " ".join(str(w.message) for w in caught)
    assert "1 image(s) named in the captions file but absent" in messages and "1 caption(s) with no words" in messages
    assert "skipped 2 image(s) that cannot be read" in messages
    assert sorted(p.rsplit("/", 1)[-1] for p in data.images) == ["deep.png", "good.png", "gray.png", "rgba.png"]
    for path in data.images:
        pixels = read_image(path)
        assert pixels.dtype == np.uint8 and pixels.shape == (10, 12, 3)
    assert read_image(str(tmp_path / "deep.png")).max() == 255  # 16-bit scaled, not clipped


def test_no_usable_pair_is_one_clear_error(tmp_path):
    (tmp_path / "captions.csv").write_text("")
    with pytest.raises(UserInputError, match="no captions"):
        read_folder(str(tmp_path))
    (tmp_path / "captions.csv").write_text("absent.jpg,a dog\n")
    with pytest.raises(UserInputError, match="no usable image"), pytest.warns(UserWarning):
        read_folder(str(tmp_path))
    (tmp_path / "empty_folder").mkdir()
    with pytest.raises(UserInputError, match="no captions file"):
        read_folder(str(tmp_path / "empty_folder"))
    with pytest.raises(UserInputError, match="no such file"):
        read_folder(str(tmp_path / "missing"))
    (tmp_path / "captions_val.json").write_text('{"images": []}')
    with pytest.raises(UserInputError, match="annotations"):
        read_folder(str(tmp_path / "captions_val.json"))


def test_a_very_large_image_is_shrunk_and_arrays_are_made_rgb(tmp_path):
    big = write_image(tmp_path / "big.jpg", size=(3000, 1500))
    pixels = read_image(big.read_bytes())  # encoded bytes
    assert max(pixels.shape[:2]) <= 1024 and pixels.shape[-1] == 3
    assert read_image(np.zeros((4, 5), "float32")).shape == (4, 5, 3)
    assert read_image(np.ones((4, 5, 4), "float32")).max() == 255
    with pytest.raises(UserInputError, match="shape"):
        read_image(np.zeros((4, 5, 2)))
    with pytest.raises(UserInputError, match="not an image"):
        read_image(b"GIF89 no")


def test_the_embedded_default_holds_handwriting_out():
    train = embedded_captions(30, pool="train")
    held_out = embedded_captions(30, pool="test", min_digits=5, max_digits=5, width_digits=5)
    assert len(train) == 30 and all(len(c) == 1 for c in train.captions)
    assert all(len(c[0].split()) == 5 for c in held_out.captions) and "test handwriting" in held_out.description


def test_tfds_coco_captions_with_mock_data():
    import tensorflow_datasets as tfds

    from keras_seq.applications.caption import read_source

    with tfds.testing.mock_data(num_examples=4):
        data = read_source("tfds:coco_captions", "train")
    assert 0 < len(data) <= 4 and data.description == "tfds:coco_captions (train)"
    assert all(image.ndim == 3 and image.shape[-1] == 3 and image.dtype == np.uint8 for image in data.images)
    assert all(captions and all(isinstance(c, str) and c for c in captions) for captions in data.captions)


def test_a_captions_file_that_is_not_utf8_is_one_clear_error(tmp_path):
    write_image(tmp_path / "a.png")
    (tmp_path / "captions.csv").write_bytes("image,caption\na.png,un caf\xe9\n".encode("latin-1"))
    with pytest.raises(UserInputError, match="not UTF-8"):
        read_folder(str(tmp_path))
