"""Scores of tag sequences: token accuracy, and entity precision, recall
and F1 by conlleval's definition (an entity counts when its span and its
type are exact)."""

from keras_seq.data.tag_schemes import entity_spans


def token_accuracy(gold, predicted):
    """The share of tokens tagged right, over every token of every sentence.

    Args:
        gold, predicted: lists of sentences, each a list of tag names.

    Returns:
        `{"accuracy": percent (2 decimals), "tokens": count}`.

    Examples:
        >>> token_accuracy([["O", "B-PER"]], [["O", "O"]])
        {'accuracy': 50.0, 'tokens': 2}
    """
    pairs = [(g, p) for gs, ps in zip(gold, predicted) for g, p in zip(gs, ps)]
    correct = sum(g == p for g, p in pairs)
    return {"accuracy": round(100.0 * correct / max(len(pairs), 1), 2), "tokens": len(pairs)}


def entity_scores(gold, predicted, scheme="iob2"):
    """Entity-level scores by conlleval's definition: an entity counts when
    its span and its type are exact (read as `entity_spans` reads tags).

    Args:
        gold, predicted: lists of sentences, each a list of chunk tags.
        scheme: `"iob2"`, `"iob1"` or `"bioes"`.

    Returns:
        Micro `precision`, `recall` and `f1` in percent (2 decimals), the
        count of gold `entities`, and `per_type`: the same for each type.

    Examples:
        >>> entity_scores([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]])["f1"]
        0.0
    """
    counts = {}  # type -> [true positives, predicted, gold]
    for gs, ps in zip(gold, predicted):
        g, p = set(entity_spans(gs, scheme)), set(entity_spans(ps, scheme))
        for kind, *_ in g | p:
            counts.setdefault(kind, [0, 0, 0])
        for span in p:
            counts[span[0]][1] += 1
            counts[span[0]][0] += span in g
        for span in g:
            counts[span[0]][2] += 1

    def scores(tp, n_pred, n_gold):
        precision = 100.0 * tp / n_pred if n_pred else 0.0
        recall = 100.0 * tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 2), "recall": round(recall, 2), "f1": round(f1, 2), "entities": n_gold}

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {**scores(*total), "per_type": {kind: scores(*c) for kind, c in sorted(counts.items())}}
