"""Short review sentences with sentiment labels, generated reproducibly.

The offline default of the sentiment application: no download, the same
sentences for the same seed. The sentences are not trivially separable by
word counts: negation flips a clause ("the food was not good"), and in
"X, but Y" the second clause decides, so a model has to read word order.
"""

import numpy as np

SUBJECTS = {
    "product": ["phone", "battery", "screen", "case", "charger", "headset", "keyboard", "camera"],
    "restaurant": ["food", "service", "pasta", "staff", "place", "pizza", "dessert", "coffee"],
    "movie": ["movie", "plot", "acting", "ending", "script", "cast", "soundtrack", "film"],
}
POSITIVE = [
    "great",
    "excellent",
    "wonderful",
    "amazing",
    "good",
    "fantastic",
    "superb",
    "delightful",
    "perfect",
    "lovely",
    "solid",
    "impressive",
    "friendly",
    "tasty",
    "reliable",
    "brilliant",
]
NEGATIVE = [
    "terrible",
    "awful",
    "bad",
    "horrible",
    "poor",
    "disappointing",
    "bland",
    "boring",
    "broken",
    "useless",
    "mediocre",
    "dreadful",
    "rude",
    "flimsy",
    "slow",
    "annoying",
]
LIKE = ["loved", "enjoyed", "liked", "adored", "appreciated"]
DISLIKE = ["hated", "disliked", "regretted", "despised", "returned"]
INTENSIFIERS = ["", "", "very ", "really ", "truly ", "extremely ", "quite ", "so "]
NEGATORS = ["not", "never", "hardly"]


def _clause(rng, positive):
    """A clause of the given polarity; negation is one way to express it."""
    subject = rng.choice(SUBJECTS[rng.choice(list(SUBJECTS))])
    kind = rng.integers(3)
    negate = rng.random() < 0.35
    if kind == 0:  # the X was (not) ADJ
        words = POSITIVE if positive != negate else NEGATIVE
        neg = f"{rng.choice(NEGATORS)} " if negate else ""
        return f"the {subject} was {neg}{rng.choice(INTENSIFIERS)}{rng.choice(words)}"
    if kind == 1:  # I (did not) like the X
        if negate:
            verb = rng.choice(["like", "enjoy", "love"]) if positive is False else rng.choice(["hate", "dislike"])
            return f"i did not {verb} the {subject}"
        return f"i {rng.choice(LIKE if positive else DISLIKE)} the {subject}"
    # would (not) recommend
    if positive:
        return f"i would {rng.choice(['definitely ', 'happily ', ''])}recommend the {subject}"
    return f"i would {rng.choice(['not', 'never'])} recommend the {subject}"


def synthetic_reviews(count=4000, seed=0):
    """`count` review sentences and their labels (1 positive, 0 negative).

    Half the sentences are one clause; a quarter join two clauses of the
    same polarity with "and"; a quarter join opposite ones with "but",
    where the clause after "but" gives the label.

    Returns:
        `(texts, labels)`: a list of str and an int32 array.
    """
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(count):
        label = int(rng.integers(2))
        shape = rng.random()
        if shape < 0.5:
            text = _clause(rng, bool(label))
        elif shape < 0.75:
            text = f"{_clause(rng, bool(label))} and {_clause(rng, bool(label))}"
        else:
            text = f"{_clause(rng, not label)}, but {_clause(rng, bool(label))}"
        ending = rng.choice([".", "!", ".", "..."])
        text = text.replace(" i ", " I ")
        texts.append(text[0].upper() + text[1:] + ending)
        labels.append(label)
    return texts, np.array(labels, dtype=np.int32)
