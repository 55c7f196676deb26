"""Chunk tag schemes (IOB1, IOB2, BIOES): which tag may follow which, the
repair of invalid sequences, and the entity spans a tag sequence names.

A chunk tag is `O` or `P-TYPE`, the prefix `P` being `B` (begin), `I`
(inside), `E` (end) or `S` (single). In IOB2 every entity starts with
`B-`; in IOB1 `B-` appears only where an entity directly follows another
of the same type; BIOES also marks the last token (`E-`) and one-token
entities (`S-`).
"""

import numpy as np

SCHEMES = ("iob1", "iob2", "bioes")
PREFIXES = {"iob1": "BI", "iob2": "BI", "bioes": "BIES"}


def split_tag(tag, scheme="iob2"):
    """`(prefix, type)` of a chunk tag: `("O", None)` for `O`, `("B", "PER")`
    for `B-PER`. Raises ValueError for a tag outside `scheme`."""
    if tag == "O":
        return "O", None
    prefix, dash, kind = tag.partition("-")
    if not dash or not kind or prefix not in PREFIXES[check_scheme(scheme)]:
        raise ValueError(f"tag {tag!r} is not a {scheme.upper()} tag (O, or {'/'.join(PREFIXES[scheme])}-TYPE)")
    return prefix, kind


def check_scheme(scheme):
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}; received {scheme!r}")
    return scheme


def _allowed(prefix_from, type_from, prefix_to, type_to, scheme):
    """Whether tag `to` may follow tag `from` (`"START"` / `"END"` for the
    sentence's ends)."""
    same = type_from is not None and type_from == type_to
    if scheme == "iob2":
        if prefix_to == "I":
            return prefix_from in ("B", "I") and same
        return True
    if scheme == "iob1":
        if prefix_to == "B":
            return prefix_from in ("B", "I") and same
        return True
    # bioes: an open entity (B, I) must go on with I or E of its type
    if prefix_from in ("B", "I"):
        return prefix_to in ("I", "E") and same
    return prefix_to in ("O", "B", "S", "END")


def allowed_transitions(tags, scheme):
    """The allowed transitions of a tag set, as a 0/1 matrix `(K+2, K+2)`:
    entry `[i, j]` says whether tag `j` may follow tag `i`; row and column
    `K` stand for the sentence's start, `K+1` for its end.

    Args:
        tags: the `K` tag names, e.g. `["O", "B-PER", "I-PER"]`.
        scheme: `"iob1"`, `"iob2"` or `"bioes"`.

    Returns:
        A float32 numpy array.

    Examples:
        >>> allowed_transitions(["O", "B-PER", "I-PER"], "iob2")[0, 2]  # O -> I-PER
        0.0
    """
    check_scheme(scheme)
    parts = [split_tag(tag, scheme) for tag in tags] + [("START", None), ("END", None)]
    k = len(tags)
    allowed = np.zeros((k + 2, k + 2), "float32")
    for i, (prefix_from, type_from) in enumerate(parts):
        for j, (prefix_to, type_to) in enumerate(parts):
            if prefix_from == "END" or prefix_to == "START" or (i == k and j == k + 1):
                continue  # nothing leaves the end or enters the start; no empty sentence
            allowed[i, j] = float(_allowed(prefix_from, type_from, prefix_to, type_to, scheme))
    return allowed


def is_valid(tags, scheme="iob2"):
    """Whether a sentence's tag sequence follows `scheme`."""
    parts = [("START", None)] + [split_tag(tag, scheme) for tag in tags] + [("END", None)]
    return all(_allowed(*a, *b, scheme) for a, b in zip(parts, parts[1:]))


def to_iob2(tags, scheme="iob2"):
    """A sentence's tags in valid IOB2, and how many tags had to change.

    IOB1 and BIOES tags are rewritten (`S-` and `E-` become `B-` and `I-`);
    an IOB2 `I-X` that does not continue an `X` entity becomes `B-X`, as
    conlleval reads it.

    Returns:
        `(tags, changed)`: a new list and the count of tags rewritten
        beyond the scheme's own renaming (the repairs of invalid input).
    """
    out, repaired = [], 0
    previous = ("O", None)
    for tag in tags:
        prefix, kind = split_tag(tag, scheme)
        if prefix == "O":
            new = "O"
        elif prefix in ("B", "S"):
            new = f"B-{kind}"
            if scheme == "iob1" and prefix == "B" and previous[1] != kind:
                repaired += 1  # an IOB1 B- that follows no entity of its type: read as a start all the same
        else:  # I or E
            continues = previous[0] in ("B", "I") and previous[1] == kind
            if not continues and scheme != "iob1":  # in IOB1 an I- may open an entity
                repaired += 1
            new = f"I-{kind}" if continues else f"B-{kind}"
        out.append(new)
        previous = split_tag(new, "iob2")
    return out, repaired


def iob2_to_bioes(tags):
    """Valid IOB2 tags in BIOES: an entity's last token `E-` (`S-` alone)."""
    out = []
    for i, tag in enumerate(tags):
        prefix, kind = split_tag(tag, "iob2")
        if prefix == "O":
            out.append("O")
            continue
        ends = i + 1 == len(tags) or tags[i + 1] != f"I-{kind}"
        out.append(f"{'S' if ends else 'B'}-{kind}" if prefix == "B" else f"{'E' if ends else 'I'}-{kind}")
    return out


def entity_spans(tags, scheme="iob2"):
    """The entities a sentence's tags name, by conlleval's reading: a list
    of `(type, start, end)` token spans, `end` exclusive.

    Examples:
        >>> entity_spans(["B-PER", "I-PER", "O", "B-LOC"])
        [('PER', 0, 2), ('LOC', 3, 4)]
    """
    tags, _ = to_iob2(tags, scheme)
    spans = []
    for i, tag in enumerate(tags):
        prefix, kind = split_tag(tag, "iob2")
        if prefix == "B":
            spans.append([kind, i, i + 1])
        elif prefix == "I":
            spans[-1][2] = i + 1
    return [tuple(span) for span in spans]
