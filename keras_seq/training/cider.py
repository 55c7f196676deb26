"""CIDEr-D, the consensus metric of image captioning (Vedantam et al., 2015)."""

import collections
import math

import numpy as np

SIGMA = 6.0  # the Gaussian length penalty's width, in words
MAX_N = 4


def _ngrams(words, n):
    return collections.Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def corpus_cider(hypotheses, references, sigma=SIGMA):
    """CIDEr-D of `hypotheses` against their `references`, on the scale of
    the published figures (about 0-10; a perfect caption of a varied
    corpus scores well above 1).

    Each caption becomes, for n = 1..4, a vector of its n-gram counts
    weighted by the n-gram's inverse document frequency over the images'
    reference sets. A hypothesis scores, per n, the mean over its
    references of the cosine of the two vectors, with the hypothesis'
    counts clipped at the reference's and a Gaussian penalty on the
    difference of their lengths (`exp(-d^2 / 2 sigma^2)`, sigma = 6
    words); the score is the mean over n, times 10, averaged over the
    corpus. Captions are compared as given: split on spaces, so normalize
    them first (`keras_seq.data.normalize`).

    Args:
        hypotheses: one string per image.
        references: one list of strings per image (at least one each).
        sigma: the length penalty's width.

    Returns:
        float, the corpus CIDEr-D.

    Examples:
        >>> corpus_cider(["a dog runs", "two cats"], [["a dog runs", "a dog is running"], ["two cats sit"]])
    """
    if len(hypotheses) != len(references):
        raise ValueError(
            f"need one reference list per hypothesis; got {len(hypotheses)} hypotheses and {len(references)} lists"
        )
    if not hypotheses:
        raise ValueError("no captions to score")
    if any(not refs for refs in references):
        raise ValueError("every hypothesis needs at least one reference")
    refs = [[r.split() for r in image_refs] for image_refs in references]
    documents = collections.Counter()  # n-gram -> number of images whose references hold it
    for image_refs in refs:
        documents.update({gram for words in image_refs for n in range(1, MAX_N + 1) for gram in _ngrams(words, n)})
    log_images = math.log(float(len(refs)))

    def vectors(words):
        """Per n: the tf-idf weights of the n-grams, and the vector's norm."""
        out = []
        for n in range(1, MAX_N + 1):
            weights = {
                gram: count * (log_images - math.log(max(1.0, documents[gram])))
                for gram, count in _ngrams(words, n).items()
            }
            out.append((weights, math.sqrt(sum(w * w for w in weights.values()))))
        return out

    scores = []
    for hypothesis, image_refs in zip(hypotheses, refs):
        words = hypothesis.split()
        hyp = vectors(words)
        per_n = np.zeros(MAX_N)
        for ref_words in image_refs:
            penalty = math.exp(-((len(words) - len(ref_words)) ** 2) / (2 * sigma**2))
            for n, ((h, h_norm), (r, r_norm)) in enumerate(zip(hyp, vectors(ref_words))):
                if h_norm and r_norm:
                    dot = sum(min(weight, r[gram]) * r[gram] for gram, weight in h.items() if gram in r)
                    per_n[n] += penalty * dot / (h_norm * r_norm)
        scores.append(10.0 * per_n.mean() / len(image_refs))
    return float(np.mean(scores))
