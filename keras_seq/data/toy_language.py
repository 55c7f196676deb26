"""A toy translation task that a small model learns in seconds."""

import numpy as np

# English word -> its toy-German word
TOY_WORDS = {
    "red": "rot",
    "blue": "blau",
    "cat": "katze",
    "dog": "hund",
    "big": "gross",
    "small": "klein",
    "sees": "sieht",
    "a": "ein",
}


def toy_language_pairs(count, seed=0, max_words=4):
    """`count` pairs `(english, toy_german)` of a toy language: each
    sentence's words renamed by `TOY_WORDS` and their order reversed.

    Args:
        count: int, the number of pairs.
        seed: int, seed of the draw.
        max_words: int >= 2, the longest sentence (the shortest has 2 words).

    Returns:
        A list of `(source, target)` strings.

    Examples:
        >>> toy_language_pairs(1, seed=3)
        [('red blue blue blue', 'blau blau blau rot')]
    """
    rng = np.random.default_rng(seed)
    english = list(TOY_WORDS)
    pairs = []
    for _ in range(count):
        words = list(rng.choice(english, size=int(rng.integers(2, max_words + 1))))
        pairs.append((" ".join(words), " ".join(TOY_WORDS[w] for w in reversed(words))))
    return pairs
