"""Ready-made applications built only from keras_seq layers, on one
framework (`config`, `task`, `training`, `cli`).

Installed as `keras_seq.applications` (see pyproject.toml), e.g.
`from keras_seq.applications.char_lm import build_char_lm`. Packages load
their modules on first use, so the command line's `--help` needs no
TensorFlow.
"""

import importlib
import os


def lazy_exports(package, exports):
    """A module `__getattr__` for `package` that imports, on first use of a
    name, the submodule that `exports` (submodule -> names) lists it under.

    Returns:
        `(__getattr__, __all__)`.
    """
    names = {name: module for module, listed in exports.items() for name in listed}

    def __getattr__(attr):
        if attr not in names:
            raise AttributeError(f"module {package!r} has no attribute {attr!r}")
        return getattr(importlib.import_module(f"{package}.{names[attr]}"), attr)

    return __getattr__, sorted(names)


def import_object(spec):
    """The object that `"module:name"` names, imported on first use (the
    command line's task classes, the tasks' serving modules)."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def default_model_dir(app):
    """Where an application's model goes unless told: `saved_models/<app>`
    (`char_lm` for `char-lm`)."""
    return os.path.join("saved_models", app.replace("-", "_"))
