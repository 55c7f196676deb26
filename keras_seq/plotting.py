"""Heat maps of what a memory model did (PNG files, drawn with matplotlib)."""

import os

import numpy as np

from keras_seq.errors import UserInputError


def pyplot():
    """matplotlib's `pyplot`, drawing to files (the Agg backend: no screen
    needed). Every plot of the package gets it here."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_memory(path, panels, title=None):
    """Draw one sequence's heat maps, one panel under another, and write
    them to `path` as a PNG (through a temporary file, so a crash leaves no
    half image).

    Args:
        path: the PNG to write; its folder must exist.
        panels: a list of `(name, array)`: each array is `(T, K)` (time
            along x, K rows), for example the input bits, the target, the
            prediction, and an NTM's read and write weightings
            (`NTM(return_weightings=True)`, one head: `(T, N)`).
        title: optional title over the first panel.

    Returns:
        `path`.

    Examples:
        >>> outputs, reads, writes = NTM(32, 16, 8, return_sequences=True, return_weightings=True)(x)
        >>> plot_memory("heads.png", [("input", x[0]), ("read", reads[0, :, 0]), ("write", writes[0, :, 0])])
    """
    if not panels:
        raise ValueError("plot_memory needs at least one (name, array) panel")
    arrays = []
    for name, array in panels:
        array = np.asarray(array, dtype="float32")
        if array.ndim != 2:
            raise ValueError(f"panel {name!r} must be (time, rows); received shape {array.shape}")
        arrays.append((name, array))
    plt = pyplot()
    steps = max(a.shape[0] for _, a in arrays)
    heights = [
        min(4.0, max(1.0, 0.12 * a.shape[1])) for _, a in arrays
    ]  # inches: a few bits short, a memory of 128 slots capped
    size = (max(4.0, 0.18 * steps + 1.5), sum(heights) + 0.6 * len(arrays))
    fig, axes = plt.subplots(len(arrays), 1, figsize=size, squeeze=False, gridspec_kw={"height_ratios": heights})
    for ax, (name, array) in zip(axes[:, 0], arrays):
        ax.imshow(
            array.T,
            cmap="viridis",
            aspect="auto",
            interpolation="nearest",
            vmin=min(0.0, float(array.min())),
            vmax=max(1.0, float(array.max())),
        )
        ax.set_ylabel(name)
        ax.set_xlim(-0.5, steps - 0.5)
        ax.set_yticks([])
    axes[-1, 0].set_xlabel("time step")
    if title:
        axes[0, 0].set_title(title)
    return save_figure(fig, path)


def save_figure(fig, path, dpi=100):
    """Write a matplotlib figure to `path` (PNG) through a temporary file
    renamed into place, and close it.

    Returns:
        `path`.

    Raises:
        UserInputError: `path`'s folder does not exist, or `path` is a
            folder (nothing is written).
    """
    import matplotlib.pyplot as plt

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or os.path.isdir(path):
        plt.close(fig)
        why = f"{path} is a folder" if os.path.isdir(path) else f"the folder {folder} does not exist"
        raise UserInputError(f"cannot write the plot: {why}")
    fig.tight_layout()
    tmp = path + ".tmp.png"
    try:
        fig.savefig(tmp, dpi=dpi)
    finally:
        plt.close(fig)
    os.replace(tmp, path)
    return path
