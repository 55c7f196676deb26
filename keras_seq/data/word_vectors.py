"""Pretrained word vectors: outside knowledge for the sentiment classifier
and the tagger.

`"wordllama"` reads the static token embeddings (32,000 Llama-2 tokens x
256 dimensions) that ship inside the `wordllama` package (MIT licence),
with its tokenizer; a word's vector is the mean of its tokens' vectors, so
every word has one. Any other value is the path of a text file in the
GloVe / word2vec text layout: `word v1 v2 ... vD` a line (a first line of
two integers, word2vec's header, is skipped).
"""

import importlib.resources
import os

import numpy as np

from keras_seq.errors import UserInputError


def _wordllama_files():
    try:
        root = importlib.resources.files("wordllama")
    except ModuleNotFoundError as error:
        raise UserInputError(
            "the 'wordllama' word vectors need the wordllama package: pip install wordllama"
        ) from error
    return str(root.joinpath("weights", "l2_supercat_256.safetensors")), str(
        root.joinpath("tokenizers", "l2_supercat_tokenizer_config.json")
    )


def _wordllama(words, standardize):
    from safetensors import safe_open
    from tokenizers import Tokenizer

    weights, tokenizer_file = _wordllama_files()
    tokenizer = Tokenizer.from_file(tokenizer_file)
    with safe_open(weights, framework="np") as f:
        table = f.get_tensor("embedding.weight").astype("float32")  # (32000, 256)
    # The whole-word tokens (a leading "▁", letters only) are words the
    # tokenizer knows; they extend the lookup beyond the given words.
    known = {standardize(t[1:]) for t in tokenizer.get_vocab() if t.startswith("▁") and t[1:].isalpha() and len(t) > 2}
    words = words + sorted(known - set(words))  # `words` has no duplicates already
    encodings = tokenizer.encode_batch(words, add_special_tokens=False)
    vectors = np.stack(
        [table[e.ids].mean(axis=0) if e.ids else np.zeros(table.shape[1], "float32") for e in encodings]
    )  # (W, 256)
    return words, vectors


def _read_text_vectors(path, words, standardize):
    if not os.path.isfile(path):
        raise UserInputError(f"word vectors file not found: {path}")
    wanted, found, dim = set(words), {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            fields = line.rstrip().split(" ")
            if number == 1 and len(fields) == 2 and all(x.isdigit() for x in fields):
                continue  # word2vec header
            word = standardize(fields[0])
            if len(fields) < 2 or word not in wanted or word in found:
                continue  # parse only the lines needed (a GloVe file has 400,000)
            try:
                vector = np.asarray(fields[1:], dtype="float32")
            except ValueError:
                raise UserInputError(
                    f"{path}, line {number}: expected 'word v1 v2 ...', got {line.strip()[:60]!r}"
                ) from None
            if dim is None:
                dim = len(vector)
            elif len(vector) != dim:
                raise UserInputError(f"{path}, line {number}: {len(vector)} numbers, expected {dim}")
            found[word] = vector
    if not found:
        raise UserInputError(f"{path}: none of the {len(wanted)} words has a vector")
    return words, np.stack([found.get(w, np.zeros(dim, "float32")) for w in words])


def load_word_vectors(source, words, standardize=str.lower):
    """Vectors for `words` from `"wordllama"` or a GloVe-style text file.

    Args:
        source: `"wordllama"` or the path of a `word v1 ... vD` file.
        words: words as `standardize` writes them.
        standardize: how a word of the source becomes one of `words`
            (lowercasing by default; the sentiment classifier also strips
            punctuation, the tagger writes digits as 0).

    Returns:
        `(words, vectors)`: the given words, followed for `"wordllama"` by
        the other whole words its tokenizer knows, and a float32 array
        `(len(words), D)` of their vectors, centred and scaled to unit
        variance over the words that have one (zeros for words a file
        lacks).

    Raises:
        UserInputError: the package or file is missing, or the file is
            malformed or shares no word with `words`.
    """
    words = list(dict.fromkeys(words))
    if source == "wordllama":
        words, vectors = _wordllama(words, standardize)
    else:
        words, vectors = _read_text_vectors(source, words, standardize)
    present = np.any(vectors != 0, axis=1)  # (W,): words without a vector stay all zeros
    vectors[present] -= vectors[present].mean(axis=0)
    vectors[present] /= vectors[present].std() + 1e-8
    return words, vectors.astype("float32")
