import numpy as np
import pytest

from keras_seq.data import digit_strips
from keras_seq.data.digit_strips import DIGIT_WORDS, digit_scans, pool_indices


def test_strips_are_reproducible_and_captioned_with_their_digits():
    images, captions, boxes = digit_strips(40, seed=3, min_digits=2, max_digits=4)
    again, same, _ = digit_strips(40, seed=3, min_digits=2, max_digits=4)
    np.testing.assert_array_equal(images, again)
    assert captions == same
    other, _, _ = digit_strips(40, seed=4, min_digits=2, max_digits=4)
    assert not np.array_equal(images, other)
    assert images.dtype == np.uint8 and images.shape[0] == 40 and images.shape[-1] == 3 and images.shape[2] % 8 == 0
    lengths = {len(c.split()) for c in captions}
    assert lengths == {2, 3, 4}
    for image, caption, box in zip(images, captions, boxes):
        words = caption.split()
        assert set(words) <= set(DIGIT_WORDS) and len(box) == len(words)
        starts = [x0 for x0, _ in box]
        assert starts == sorted(starts) and box[-1][1] <= image.shape[1]
        ink = image.mean(axis=(0, 2))  # (W,), darker where a digit is
        inside = np.concatenate([ink[x0:x1] for x0, x1 in box])
        outside = np.delete(ink, np.concatenate([np.arange(x0, x1) for x0, x1 in box]))
        if len(outside):
            assert inside.min() < outside.mean() - 20  # the boxes hold the ink


def test_the_pools_split_the_scans_and_a_wider_canvas_fits_longer_strips():
    train, test = pool_indices("train"), pool_indices("test")
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == len(digit_scans()[1])
    short, _, _ = digit_strips(5, max_digits=4, width_digits=5)
    long, captions, _ = digit_strips(5, min_digits=5, max_digits=5, width_digits=5, pool="test")
    assert short.shape == long.shape and all(len(c.split()) == 5 for c in captions)
    with pytest.raises(ValueError, match="pool"):
        digit_strips(1, pool="validation")
    with pytest.raises(ValueError, match="max_digits"):
        digit_strips(1, max_digits=6, width_digits=5)
