"""Images with captions for the captioner: a folder with a captions file
(Flickr8k, CSV or COCO format), and the embedded digit strips."""

import csv
import dataclasses
import io
import json
import os
import warnings

import numpy as np

from keras_seq.data import read_lines
from keras_seq.errors import UserInputError

CAPTION_FILES = ("captions.txt", "captions.csv", "Flickr8k.token.txt", "captions.json")
IMAGE_FOLDERS = ("", "images", "Images", "Flicker8k_Dataset", "Flickr8k_Dataset")
LARGEST_SIDE = 1024  # larger images are shrunk when read, never decoded at full size into memory


@dataclasses.dataclass
class Captioned:
    """Images and their captions: `images[i]` (a path, or a uint8 array
    `(H, W, 3)`) has the captions `captions[i]` (a list of strings)."""

    images: list
    captions: list
    description: str

    def __len__(self):
        return len(self.images)

    def subset(self, index):
        return Captioned([self.images[i] for i in index], [self.captions[i] for i in index], self.description)

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
    with open(path, newline="", encoding="utf-8") as file:
        for number, row in enumerate(csv.reader(file), 1):
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
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
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
        raise UserInputError(f"an image array must be (height, width) or (height, width, 1, 3 or 4); got shape {array.shape}")
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
        warnings.warn(f"{data.description}: skipped {len(bad)} image(s) that cannot be read (first: {bad[0]})", stacklevel=2)
    if not keep:
        raise UserInputError(f"{data.description}: no usable image with a caption")
    return data.subset(keep) if bad else data


# ---------------------------------------------------------------- embedded
def embedded_captions(count, seed=0, pool="train", min_digits=1, max_digits=4, width_digits=None):
    """Strips of handwritten digits captioned with their words (see
    `keras_seq.data.digit_strips`), one caption per image."""
    from keras_seq.data.digit_strips import digit_strips

    images, captions, _ = digit_strips(count, seed=seed, min_digits=min_digits, max_digits=max_digits, pool=pool, width_digits=width_digits)
    return Captioned(list(images), [[caption] for caption in captions], f"embedded digit strips ({pool} handwriting, {min_digits}-{max_digits} digits)")
