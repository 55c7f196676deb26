"""`Examples`: what an application's data source reads, example by example."""

import dataclasses

import numpy as np


class Examples:
    """The base of an application's data dataclass: fields of aligned
    examples (lists or arrays, one entry per example) beside fields that
    describe them (a `description`, label names).

    A subclass names its aligned fields in `aligned`; `len` and `subset`
    read them, and `subset` copies the other fields as they are.

    Examples:
        >>> @dataclasses.dataclass
        ... class Pairs(Examples):
        ...     aligned = ("sources", "targets")
        ...     sources: list
        ...     targets: list
        ...     description: str
        >>> Pairs(["a", "b"], ["x", "y"], "toy").subset([1]).targets
        ['y']
    """

    aligned = ()

    def __len__(self):
        return len(getattr(self, self.aligned[0]))

    def subset(self, index):
        """The examples at the positions `index`, in its order."""
        index = np.asarray(index, dtype=int)
        picked = {}
        for name in self.aligned:
            values = getattr(self, name)
            picked[name] = values[index] if isinstance(values, np.ndarray) else [values[i] for i in index]
        return dataclasses.replace(self, **picked)
