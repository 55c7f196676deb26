"""The tagger's pictures: a text's entities highlighted (HTML, PNG) and
the CRF's transition scores (PNG)."""

import html

import numpy as np

from keras_seq.data.tag_schemes import split_tag
from keras_seq.plotting import pyplot, save_figure

PALETTE = ["#ffd8a8", "#b2f2bb", "#a5d8ff", "#eebefa", "#ffec99", "#ffc9c9", "#c5f6fa", "#d0bfff"]


def entity_kinds(tags):
    """The entity types of a chunk tag set, sorted."""
    return sorted({kind for _, kind in (split_tag(t, "bioes") for t in tags) if kind is not None})


def _kind(tag, scheme):
    """The entity type of a token's tag, or None (`O`, or no chunk scheme)."""
    return split_tag(tag, scheme)[1] if scheme else None


def _colour(kind, kinds):
    """A light colour per entity type, the same for a type in every picture."""
    return PALETTE[kinds.index(kind) % len(PALETTE)]


def highlight_html(results, tags, scheme):
    """An HTML page of `Tagger.tag`'s results: entity tokens on their
    type's colour (the tag under each token for tags without a scheme)."""
    kinds = entity_kinds(tags) if scheme else []
    rows = []
    for result in results:
        pieces = []
        for token, tag in zip(result["tokens"], result["tags"]):
            kind = _kind(tag, scheme)
            if scheme is None:
                pieces.append(f"{html.escape(token)}<sub>{html.escape(tag)}</sub>")
            elif kind is None:
                pieces.append(html.escape(token))
            else:
                pieces.append(
                    f'<span style="background: {_colour(kind, kinds)}" title="{html.escape(tag)}">'
                    f"{html.escape(token)}</span>"
                )
        rows.append("<p>" + " ".join(pieces) + "</p>")
    return (
        "<!doctype html><meta charset='utf-8'><title>tags</title><body style='font-family: sans-serif'>"
        + "\n".join(rows)
        + "</body>"
    )


def highlight_png(results, tags, scheme, path):
    """A PNG of the same: each token in a box on its entity type's colour,
    with a legend of the types."""
    kinds = entity_kinds(tags) if scheme else []
    plt = pyplot()
    width = max(len(r["tokens"]) for r in results)
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * width), 0.9 * len(results) + 0.6))
    for row, result in enumerate(results):
        for col, (token, tag) in enumerate(zip(result["tokens"], result["tags"])):
            kind = _kind(tag, scheme)
            colour = _colour(kind, kinds) if kind else "white"
            ax.text(col, -row, token, ha="center", va="center", fontsize=9, bbox={"facecolor": colour, "pad": 3})
            if scheme is None:
                ax.text(col, -row - 0.35, tag, ha="center", va="center", fontsize=7, color="gray")
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(-len(results) + 0.4, 0.6)
    ax.axis("off")
    if kinds:
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=_colour(kind, kinds), label=kind) for kind in kinds]
        ax.legend(handles=handles, loc="upper right", fontsize=8, ncol=len(kinds), frameon=False)
    return save_figure(fig, path)


def plot_transitions(crf, tags, path):
    """A heat map of a `CRF` layer's transition scores: rows from `[start]`
    and each tag, columns to each tag and `[end]`; the moves its scheme
    forbids are marked."""
    k = len(tags)
    grid = np.full((k + 1, k + 1), np.nan)  # (K+1, K+1): [start, tags] x [tags, end]
    grid[0, :k] = np.asarray(crf.start_transitions)
    grid[1:, :k] = np.asarray(crf.transitions)
    grid[1:, k] = np.asarray(crf.end_transitions)
    plt = pyplot()
    size = max(4, 0.45 * k + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    scale = np.nanmax(np.abs(grid))
    image = ax.imshow(grid, cmap="RdBu_r", vmin=-scale, vmax=scale)
    if crf.allowed is not None:  # what the scheme forbids scores -1e9 in the CRF, whatever the weight says
        allowed = np.ones((k + 1, k + 1))
        allowed[0, :k], allowed[1:, :k], allowed[1:, k] = (
            crf.allowed[k, :k],
            crf.allowed[:k, :k],
            crf.allowed[:k, k + 1],
        )
        for row, col in zip(*np.nonzero(allowed == 0)):
            ax.text(col, row, "x", ha="center", va="center", fontsize=8, color="gray")
    ax.set_xticks(range(k + 1), [*tags, "[end]"], rotation=90)
    ax.set_yticks(range(k + 1), ["[start]", *tags])
    ax.set_xlabel("to" + (" (x: forbidden by the scheme)" if crf.allowed is not None else ""))
    ax.set_ylabel("from")
    ax.set_title("CRF transition scores")
    fig.colorbar(image, ax=ax, shrink=0.7)
    return save_figure(fig, path)
