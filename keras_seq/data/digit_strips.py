"""Strips of handwritten digits with their captions, made reproducibly.

The offline default of the captioner: real handwritten digits (the 1,797
8 x 8 scans of the UCI optical digits that ship inside scikit-learn) are
scaled up and set side by side with random spacing, vertical jitter, ink
and paper shades, and each strip is captioned with the digits' words
("seven three one"). The captions are known exactly, and so is where each
digit lies, so a test can check where a model's attention looks.

The 1,797 scans are split once into two pools: strips for training use
the `"train"` pool, and held-out strips the `"test"` pool, so a held-out
strip shows handwriting never seen in training.
"""

import numpy as np

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
POOLS = ("train", "test")
TEST_POOL_FRACTION = 0.2
GAP = (1, 6)  # pixels between two digits, drawn in this range


def digit_scans():
    """The scans `(1797, 8, 8)` (float, 0-16) and their digits `(1797,)`."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images, digits.target


def pool_indices(pool):
    """The indices of the scans in `pool` (`"train"` or `"test"`): a fixed
    split, the same on every machine."""
    if pool not in POOLS:
        raise ValueError(f"pool must be one of {POOLS}; got {pool!r}")
    order = np.random.default_rng(1797).permutation(1797)
    cut = int(round(1797 * (1 - TEST_POOL_FRACTION)))
    return np.sort(order[:cut] if pool == "train" else order[cut:])


def strip_width(max_digits, digit_size):
    """The width, a multiple of 8, of a canvas that holds `max_digits`."""
    width = max_digits * (digit_size + GAP[1]) + 8
    return -(-width // 8) * 8


def digit_strips(count, seed=0, min_digits=1, max_digits=4, pool="train", width_digits=None, digit_size=20, height=32):
    """`count` strips of handwritten digits and their captions.

    Args:
        count: how many strips.
        seed: the same seed gives the same strips.
        min_digits, max_digits: each strip has a number of digits drawn
            uniformly in this range.
        pool: `"train"` or `"test"`: which scans the digits come from.
        width_digits: the canvas fits this many digits (default
            `max_digits`), so that strips of different lengths can share
            one image size.
        digit_size: a digit's height and width in pixels.
        height: the canvas height (at least `digit_size`).

    Returns:
        `(images, captions, boxes)`: `images` uint8 `(count, height, width,
        3)`, `captions` a list of strings such as `"seven three one"`, and
        `boxes` a list of `(x_start, x_end)` pixel columns per digit.
    """
    from PIL import Image

    width_digits = width_digits or max_digits
    if not 1 <= min_digits <= max_digits <= width_digits:
        raise ValueError(
            f"need 1 <= min_digits <= max_digits <= width_digits; got {min_digits}, {max_digits}, {width_digits}"
        )
    if height < digit_size:
        raise ValueError(f"height {height} is smaller than digit_size {digit_size}")
    scans, labels = digit_scans()
    indices = pool_indices(pool)
    rng = np.random.default_rng([seed, min_digits, max_digits])
    width = strip_width(width_digits, digit_size)
    images = np.empty((count, height, width, 3), "uint8")
    captions, boxes = [], []
    for i in range(count):
        chosen = rng.choice(indices, size=rng.integers(min_digits, max_digits + 1))
        gaps = rng.integers(GAP[0], GAP[1] + 1, size=len(chosen) - 1)
        used = len(chosen) * digit_size + int(gaps.sum())
        x = int(rng.integers(0, width - used + 1))
        paper = rng.uniform(200, 255, size=3)  # (3,)
        ink = rng.uniform(0, 90, size=3)  # (3,)
        darkness = np.zeros((height, width), "float32")  # (H, W), 0 paper .. 1 ink
        strip_boxes = []
        for k, index in enumerate(chosen):
            scan = Image.fromarray((scans[index] * (255 / 16)).astype("uint8"))
            digit = np.asarray(scan.resize((digit_size, digit_size), Image.BILINEAR), "float32") / 255  # (S, S)
            y = int(rng.integers(0, height - digit_size + 1))
            darkness[y : y + digit_size, x : x + digit_size] = np.maximum(
                darkness[y : y + digit_size, x : x + digit_size], digit
            )
            strip_boxes.append((x, x + digit_size))
            x += digit_size + (int(gaps[k]) if k < len(gaps) else 0)
        noise = rng.normal(0, 6, size=(height, width, 1))  # (H, W, 1)
        pixels = paper + darkness[..., None] * (ink - paper) + noise  # (H, W, 3)
        images[i] = np.clip(pixels, 0, 255).astype("uint8")
        captions.append(" ".join(DIGIT_WORDS[labels[index]] for index in chosen))
        boxes.append(strip_boxes)
    return images, captions, boxes
