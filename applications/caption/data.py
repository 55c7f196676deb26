"""Images with captions for the captioner: a folder with a captions file
(Flickr8k, CSV or COCO format), `tfds:coco_captions`, and the embedded
digit strips; and the arrays and pipelines that training reads."""

import csv
import dataclasses
import io
import json
import os
import warnings

import numpy as np

from keras_seq.applications.examples import Examples
from keras_seq.data import load_tfds, normalize, read_lines, read_text
from keras_seq.data.word_vocabulary import START_ID
from keras_seq.errors import UserInputError

CAPTION_FILES = ("captions.txt", "captions.csv", "Flickr8k.token.txt", "captions.json")
IMAGE_FOLDERS = ("", "images", "Images", "Flicker8k_Dataset", "Flickr8k_Dataset")
LARGEST_SIDE = 1024  # larger images are shrunk when read, never decoded at full size into memory


@dataclasses.dataclass
class Captioned(Examples):
    """Images and their captions: `images[i]` (a path, or a uint8 array
    `(H, W, 3)`) has the captions `captions[i]` (a list of strings)."""

    aligned = ("images", "captions")

    images: list
    captions: list
    description: str

    def pairs(self):
        """`(image, caption)` for every caption of every image."""
        return [(image, caption) for image, captions in zip(self.images, self.captions) for caption in captions]


# ------------------------------------------------------------ caption files
def read_flickr(path):
    """`image.jpg#N<TAB>caption` lines (Flickr8k's `Flickr8k.token.txt`)."""
    rows = []
    for number, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        name, tab, caption = line.partition("\t")
        if not tab:
            raise UserInputError(f"{path}, line {number}: expected image.jpg#N<TAB>caption")
        rows.append((name.rsplit("#", 1)[0].strip(), caption))
    return rows


def read_csv(path):
    """`image,caption` rows, with or without that header (Kaggle's Flickr8k
    `captions.txt` is this format)."""
    rows = []
    for number, row in enumerate(
        csv.reader(io.StringIO(read_text(path), newline="")), 1
    ):  # read_text: one clear error for non-UTF-8
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise UserInputError(f"{path}, row {number}: expected image,caption")
        if number == 1 and [cell.strip().lower() for cell in row[:2]] == ["image", "caption"]:
            continue
        rows.append((row[0].strip(), ",".join(row[1:])))
    return rows


def read_coco(path):
    """COCO's `captions_*.json`: `images` (`id`, `file_name`) and
    `annotations` (`image_id`, `caption`)."""
    text = read_text(path)  # one clear error for non-UTF-8
    try:
        document = json.loads(text)
        names = {image["id"]: image["file_name"] for image in document["images"]}
        return [(names[note["image_id"]], note["caption"]) for note in document["annotations"]]
    except json.JSONDecodeError as error:
        raise UserInputError(f"{path}: not JSON ({error})") from None
    except (KeyError, TypeError) as error:
        expected = "images with id and file_name, annotations with image_id and caption"
        raise UserInputError(f"{path}: not COCO's caption format ({expected}): missing {error}") from None


def read_caption_rows(path):
    """`(image name, caption)` rows of a captions file, its format told by
    its name and first line: `.json` is COCO's, a first line with `#N<TAB>`
    Flickr8k's, anything else CSV."""
    if path.lower().endswith(".json"):
        return read_coco(path)
    first = next((line for line in read_lines(path) if line.strip()), "")
    if "\t" in first and "#" in first.split("\t", 1)[0]:
        return read_flickr(path)
    return read_csv(path)


def find_captions_file(folder):
    for name in CAPTION_FILES:
        for candidate in (os.path.join(folder, name), os.path.join(folder, "Flickr8k_text", name)):
            if os.path.isfile(candidate):
                return candidate
    coco = sorted(f for f in os.listdir(folder) if f.startswith("captions_") and f.endswith(".json"))
    if coco:
        return os.path.join(folder, coco[0])
    raise UserInputError(f"{folder}: no captions file ({', '.join(CAPTION_FILES)} or COCO's captions_*.json)")


def find_image(name, roots):
    for root in roots:
        for sub in IMAGE_FOLDERS:
            candidate = os.path.join(root, sub, name)
            if os.path.isfile(candidate):
                return candidate
    return None


def read_folder(source):
    """The images and captions of `source`: a folder holding a captions
    file, or the captions file itself. Images are looked for beside the
    captions file, in its `images/` (or Flickr8k's) subfolder, and in the
    folder above.

    Pairs with a missing image or a caption with no words are skipped, and
    counted in a warning; images that cannot be decoded are skipped by
    `check_images`.
    """
    if not os.path.exists(source):
        raise UserInputError(f"--data {source}: no such file or folder")
    path = find_captions_file(source) if os.path.isdir(source) else source
    folder = os.path.dirname(os.path.abspath(path))
    roots = [folder, os.path.dirname(folder)] + ([os.path.abspath(source)] if os.path.isdir(source) else [])
    rows = read_caption_rows(path)
    if not rows:
        raise UserInputError(f"{path}: no captions")
    found, captions, missing, empty = {}, [], set(), 0
    for name, caption in rows:
        caption = " ".join(caption.split())
        if not any(ch.isalnum() for ch in caption):
            empty += 1
            continue
        if name not in found:
            image = find_image(name, roots)
            if image is None:
                missing.add(name)
                continue
            found[name] = len(captions)
            captions.append([])
        captions[found[name]].append(caption)
    skipped = []
    if missing:
        skipped.append(f"{len(missing)} image(s) named in the captions file but absent (e.g. {sorted(missing)[0]})")
    if empty:
        skipped.append(f"{empty} caption(s) with no words")
    if skipped:
        warnings.warn(f"{path}: skipped " + " and ".join(skipped), stacklevel=2)
    names = list(found)
    images = [find_image(name, roots) for name in names]
    return check_images(Captioned(images, captions, path))


# ------------------------------------------------------------------ images
def read_image(image, largest_side=LARGEST_SIDE):
    """An image as uint8 RGB `(H, W, 3)`, from a path, encoded bytes or an
    array. Grayscale, RGBA, palette and 16-bit images become 8-bit RGB; an
    image larger than `largest_side` is shrunk while it is read.

    Raises:
        UserInputError: a missing, truncated or non-image file.
    """
    from PIL import Image, UnidentifiedImageError

    if isinstance(image, np.ndarray):
        return array_to_rgb(image)
    if not isinstance(image, (str, os.PathLike, bytes, bytearray)):
        raise UserInputError(f"an image is a path, encoded bytes or an array; got {type(image).__name__}")
    what = "the image bytes" if isinstance(image, (bytes, bytearray)) else str(image)
    try:
        with Image.open(io.BytesIO(image) if isinstance(image, (bytes, bytearray)) else image) as picture:
            if max(picture.size) > largest_side:
                picture.draft("RGB", (largest_side, largest_side))  # JPEG: decode at a reduced scale
                picture.thumbnail((largest_side, largest_side))
            if picture.mode in ("I;16", "I;16B", "I;16L", "I"):
                pixels = np.asarray(picture, "float64")
                picture = Image.fromarray((pixels * 255.0 / max(pixels.max(), 1.0)).astype("uint8"))
            return np.asarray(picture.convert("RGB"), "uint8")
    except FileNotFoundError:
        raise UserInputError(f"{what}: no such file") from None
    except IsADirectoryError:
        raise UserInputError(f"{what}: a folder, not an image") from None
    except UnidentifiedImageError:
        raise UserInputError(f"{what}: not an image (JPEG, PNG, ...)") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise UserInputError(f"{what}: a damaged image ({error})") from None


def array_to_rgb(array):
    """A uint8 `(H, W, 3)` from an array `(H, W)`, `(H, W, 1|3|4)`; floats
    in [0, 1] are scaled to 0-255."""
    array = np.asarray(array)
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3 or array.shape[-1] not in (1, 3, 4) or 0 in array.shape:
        raise UserInputError(
            f"an image array must be (height, width) or (height, width, 1, 3 or 4); got shape {array.shape}"
        )
    if array.dtype.kind not in "biuf":
        raise UserInputError(f"an image array must hold numbers; got dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise UserInputError("an image array holds NaN or infinite values")
    if array.dtype.kind == "f":
        array = np.clip(array * (255.0 if array.max() <= 1.0 else 1.0), 0, 255)
    elif array.dtype != np.uint8:
        array = array.astype("float64") * 255.0 / max(float(array.max()), 1.0) if array.max() > 255 else array
    array = array.astype("uint8")
    return np.repeat(array, 3, axis=-1) if array.shape[-1] == 1 else array[..., :3]


def check_images(data):
    """`data` without the images that cannot be read (missing, truncated,
    not an image), with a warning that counts them.

    Raises:
        UserInputError: no image is left.
    """
    keep, bad = [], []
    for i, image in enumerate(data.images):
        try:
            read_image(image)
            keep.append(i)
        except UserInputError as error:
            bad.append(str(error))
    if bad:
        warnings.warn(
            f"{data.description}: skipped {len(bad)} image(s) that cannot be read (first: {bad[0]})", stacklevel=2
        )
    if not keep:
        raise UserInputError(f"{data.description}: no usable image with a caption")
    return data.subset(keep) if bad else data


# ---------------------------------------------------------------- embedded
# The embedded default: strips of 1-4 handwritten digits on a canvas that
# fits 5, so that the `longer` split (5 digits, one word longer than any
# caption of training) has the same image size.
EMBEDDED_DIGITS = (1, 4)
EMBEDDED_WIDTH_DIGITS = 5
# split -> (strips, seed, handwriting pool, digits)
EMBEDDED_SPLITS = {
    "train": (6000, 0, "train", EMBEDDED_DIGITS),
    "test": (1000, 1, "test", EMBEDDED_DIGITS),
    "longer": (500, 2, "test", (EMBEDDED_WIDTH_DIGITS, EMBEDDED_WIDTH_DIGITS)),
}


def embedded_captions(count, seed=0, pool="train", min_digits=1, max_digits=4, width_digits=None):
    """Strips of handwritten digits captioned with their words (see
    `keras_seq.data.digit_strips`), one caption per image."""
    from keras_seq.data.digit_strips import digit_strips

    images, captions, _ = digit_strips(
        count, seed=seed, min_digits=min_digits, max_digits=max_digits, pool=pool, width_digits=width_digits
    )
    return Captioned(
        list(images),
        [[caption] for caption in captions],
        f"embedded digit strips ({pool} handwriting, {min_digits}-{max_digits} digits)",
    )


def embedded_split(split):
    """The embedded default's `split`: `train` (training handwriting),
    `test` (handwriting never trained on) or `longer` (the same, with one
    digit more than any training strip)."""
    if split not in EMBEDDED_SPLITS:
        raise UserInputError(
            f"--split {split!r}: the embedded strips have the splits validation, all, {', '.join(EMBEDDED_SPLITS)}"
        )
    count, seed, pool, (low, high) = EMBEDDED_SPLITS[split]
    return embedded_captions(
        count, seed=seed, pool=pool, min_digits=low, max_digits=high, width_digits=EMBEDDED_WIDTH_DIGITS
    )


# -------------------------------------------------------------------- tfds
def read_tfds(name, split):
    """A TensorFlow Datasets source of images with captions, such as
    `coco_captions` (`image`, `captions/text`)."""
    examples = load_tfds(name, split)
    images, captions = [], []
    for example in examples:
        texts = (
            example.get("captions", {}).get("text")
            if isinstance(example.get("captions"), dict)
            else example.get("caption")
        )
        if "image" not in example or texts is None:
            raise UserInputError(f"tfds:{name} has no image and captions features (found {', '.join(sorted(example))})")
        texts = [texts] if isinstance(texts, bytes) else list(texts)
        kept = [" ".join(t.decode("utf-8").split()) for t in texts]
        kept = [t for t in kept if any(ch.isalnum() for ch in t)]
        if kept:
            images.append(example["image"])
            captions.append(kept)
    if not images:
        raise UserInputError(f"tfds:{name} ({split}): no image with a caption")
    return Captioned(images, captions, f"tfds:{name} ({split})")


def read_source(source="embedded", split="train"):
    """Images and captions from `embedded`, `tfds:NAME` (its `split`), or a
    folder or captions file (see `read_folder`)."""
    if source in (None, "embedded"):
        return embedded_split(split)
    if str(source).startswith("tfds:"):
        return read_tfds(str(source)[len("tfds:") :], split)
    return read_folder(str(source))


# --------------------------------------------------------- training arrays
def encode_captions(captions, vocabulary, max_length):
    """Normalized captions -> `(caption_in, caption_out)` int32 `(P, T)`:
    `[START] w1 .. wn` and `w1 .. wn [END]`, zero-padded, at most
    `max_length` tokens (longer captions are cut, with a warning)."""
    encoded = [vocabulary.encode(c, max_length, add_end=True) for c in captions]
    long = sum(len(c.split()) >= max_length for c in captions)
    if long:
        warnings.warn(f"{long} caption(s) are longer than {max_length - 1} words and were cut", stacklevel=3)
    steps = max(len(e) for e in encoded)
    caption_in = np.zeros((len(encoded), steps), "int32")
    caption_out = np.zeros((len(encoded), steps), "int32")
    for row, ids in enumerate(encoded):
        caption_out[row, : len(ids)] = ids
        caption_in[row, 0] = START_ID
        caption_in[row, 1 : len(ids)] = ids[:-1]
    return caption_in, caption_out


def caption_pairs(data, vocabulary, max_length):
    """`(image index (P,), caption_in, caption_out)` for every caption of
    every image of `data`."""
    index = np.array([i for i, captions in enumerate(data.captions) for _ in captions], "int32")
    captions = [normalize(c) for captions in data.captions for c in captions]
    return (index, *encode_captions(captions, vocabulary, max_length))


def pairs_dataset(images, pairs, batch_size, shuffle, seed):
    """A `tf.data` of `((images (B, H, W, 3) uint8, caption_in), caption_out)`
    batches; each image is kept once and gathered per batch."""
    import tensorflow as tf  # data pipeline

    table = tf.constant(images)  # (N, H, W, 3) uint8
    data = tf.data.Dataset.from_tensor_slices(pairs)
    if shuffle:
        data = data.shuffle(len(pairs[0]), seed=seed, reshuffle_each_iteration=True)

    def gather(index, caption_in, caption_out):
        steps = tf.reduce_max(tf.reduce_sum(tf.cast(caption_out != 0, tf.int32), axis=1))  # no all-padding columns
        return (tf.gather(table, index), caption_in[:, :steps]), caption_out[:, :steps]

    return data.batch(batch_size).map(gather, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
