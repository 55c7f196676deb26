"""The task base: one contract for every application's trained object.

A task holds one Keras model whose `.keras` file is the whole model: the
network, the application's name, a format version, the config and the
vocabularies, so that the file alone can be loaded (with `safe_mode=True`)
and used. The task offers `save(model_dir)`, `load(model_dir)`,
`export(path)`, `evaluate(data) -> dict` and the application's verb.
"""

import contextlib
import json
import os
import zipfile

import keras

from keras_seq.applications import import_object
from keras_seq.errors import UserInputError
from keras_seq.export import atomic_file, save_module

MODEL_FILE = "model.keras"
FORMAT_VERSION = 2  # 2: the translator and the captioner hold their network in one backbone layer (1 still loads)


@keras.saving.register_keras_serializable(package="keras_seq")
class AppModel(keras.Model):
    """A functional model that also carries its application's metadata.

    The metadata (`app`, `format_version`, `config`, `assets` such as
    vocabularies) is saved in the model's config, so the `.keras` file is
    all a user needs. Loading compiles the model without building its
    optimizer, so a file saved without the optimizer's state (`Task.save`)
    loads without warnings; `fit` builds it first.

    Args:
        inputs, outputs, name: as for a functional `keras.Model`.

    Examples:
        >>> model = AppModel(inputs, outputs, name="char_lm")
        >>> model.set_metadata("char-lm", config.to_dict(), {"chars": ["a", "b"]})
    """

    def __init__(self, inputs, outputs, name=None, **kwargs):
        super().__init__(inputs, outputs, name=name, **kwargs)
        self.metadata_json = "{}"

    def set_metadata(self, app, config, assets=None):
        self.metadata_json = json.dumps(
            {"app": app, "format_version": FORMAT_VERSION, "config": config, "assets": assets or {}}, ensure_ascii=False
        )

    @property
    def metadata(self):
        return json.loads(self.metadata_json)

    def get_config(self):
        return {**super().get_config(), "keras_seq": self.metadata}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        metadata = config.pop("keras_seq", {})
        model = super().from_config(config, custom_objects=custom_objects)
        model.metadata_json = json.dumps(metadata, ensure_ascii=False)
        return model

    def fit(self, *args, **kwargs):
        # The optimizer's variables are made before the training step is
        # traced: made inside its first trace, they make TensorFlow trace
        # the step twice (seconds, for the translator on a CPU).
        if self.optimizer is not None and not self.optimizer.built:
            strategy = getattr(self, "distribute_strategy", None)  # the model's, under tf.distribute
            with strategy.scope() if strategy is not None else contextlib.nullcontext():
                self.optimizer.build(self.trainable_variables)
        return super().fit(*args, **kwargs)

    def compile_from_config(self, config):
        # The optimizer's variables are built by `fit`.
        self.compile(**keras.saving.deserialize_keras_object(config))


def layers_of(model, kind):
    """The layers of `model` that are instances of `kind`, in the model's
    order: a task finds a part of its network by what it is (its
    `Embedding`, its recurrent layers, its last `Dense`), not by a name."""
    return [layer for layer in model.layers if isinstance(layer, kind)]


def check_model_dir(model_dir):
    """`UserInputError` when `model_dir` exists but is not a folder."""
    if os.path.exists(model_dir) and not os.path.isdir(model_dir):
        raise UserInputError(f"--model-dir {model_dir} is a file, not a folder")


def read_metadata(path):
    """The metadata stored in a `.keras` file, read without building it.

    Raises:
        UserInputError: not a `.keras` file, or not one of keras-seq.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UserInputError(f"{path} is not a Keras model file (it may be damaged); train again") from None
    metadata = config.get("config", {}).get("keras_seq") if isinstance(config, dict) else None
    if not isinstance(metadata, dict) or "app" not in metadata:
        raise UserInputError(f"{path} is a Keras model, but not one made by keras-seq's applications")
    return metadata


class Task:
    """The base of the applications' trained objects.

    A subclass declares its collaborators at the top of its class:
    `config_class` (whose `app` and `noun` it takes: its `keras-seq`
    command and what messages call it), `builder` (its `build_*`),
    `hypermodel_class` (the tuner's) and `serving` (the export's
    `tf.Module`), and implements the verb and `evaluate`. Its
    `__init__(model)` reads what it needs from the model's metadata
    (`self.config`, `self.assets`).

    Args:
        model: an `AppModel` made by the application's builder.
    """

    app = None
    noun = None
    config_class = None  # the config dataclass
    builder = None  # the application's `build_*`: config and assets -> a compiled AppModel
    hypermodel_class = None  # the application's TaskHyperModel
    serving = None  # "module:Class" of the `tf.Module` that `export` saves
    litert = None  # "module:Class" whose `write(path, quantize)` makes `export(..., format="litert")`'s model and
    # whose `assets()` are the JSON files written beside it
    required_assets = ()  # what the verb needs from the metadata (vocabularies)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.config_class is not None:
            cls.app, cls.noun = cls.config_class.app, cls.config_class.noun

    def __init__(self, model):
        metadata = model.metadata
        self.model = model
        self.config = self.config_class.from_dict(metadata["config"])
        self.assets = metadata.get("assets", {})
        missing = [name for name in self.required_assets if not self.assets.get(name)]
        if missing:
            raise UserInputError(
                f"this {self.noun} model has no {missing[0]}: build it with its vocabulary (see the builder's "
                "arguments)"
            )

    # ------------------------------------------------------ saving, loading
    def save_model(self, path):
        """Write the model's `.keras` file without the optimizer's state
        (that belongs to the training checkpoint)."""
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            self.model.save(path)
            return
        self.model.optimizer = optimizer.__class__.from_config(optimizer.get_config())
        try:
            self.model.save(path)
        finally:
            self.model.optimizer = optimizer

    def save(self, model_dir):
        """Write `model_dir/model.keras`: the whole model in one file,
        written beside and renamed into place, so a crash leaves the old
        model or the new one, never half of one.

        Raises:
            UserInputError: a weight is NaN or infinite (nothing is
                written, and the model already there is kept).
        """
        check_model_dir(model_dir)
        broken = [
            w.path
            for w in self.model.weights
            if "float" in str(w.dtype) and not bool(keras.ops.all(keras.ops.isfinite(w)))
        ]
        if broken:
            raise UserInputError(
                f"not saving to {model_dir}: {len(broken)} weight(s) are NaN or infinite (first: {broken[0]}); "
                "the model there is kept. Lower --learning-rate or clip gradients (--clipnorm)"
            )
        with atomic_file(os.path.join(model_dir, MODEL_FILE)) as tmp:
            self.save_model(tmp)
        return model_dir

    @classmethod
    def load(cls, model_dir):
        """The task saved in `model_dir` (or a `.keras` file's path),
        loaded with `safe_mode=True`.

        Raises:
            UserInputError: nothing trained there, another application's
                model, a newer format, or a damaged file.
        """
        path = model_dir if str(model_dir).endswith(".keras") else os.path.join(model_dir, MODEL_FILE)
        if not os.path.isfile(path):
            raise UserInputError(
                f"no trained {cls.noun} in {model_dir} (missing {MODEL_FILE}); run `keras-seq {cls.app} train` first"
            )
        metadata = read_metadata(path)
        if metadata["app"] != cls.app:
            raise UserInputError(
                f"{model_dir} holds a {metadata['app']} model, not a {cls.app} one; use `keras-seq {metadata['app']} "
                "...`"
            )
        if metadata.get("format_version", 0) > FORMAT_VERSION:
            raise UserInputError(
                f"{path} was saved by a newer keras-seq (format {metadata['format_version']}); upgrade keras-seq"
            )
        try:
            model = keras.saving.load_model(path, safe_mode=True)
        except Exception as error:  # a damaged or tampered file
            raise UserInputError(
                f"cannot load {path}: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
            ) from None
        return cls(model)

    # ---------------------------------------------------------------- export
    @classmethod
    def serving_class(cls):
        """The serving `tf.Module` class: built from the task, with a
        `tf.function` per name in its `signatures`."""
        return import_object(cls.serving)

    @property
    def signatures(self):
        """The names of the export's signatures."""
        return self.serving_class().signatures

    def serving_module(self):
        """The `tf.Module` that `export` saves."""
        return self.serving_class()(self)

    def export(self, export_dir, format="saved_model", quantize="none"):
        """Write the model for serving, through a temporary folder (an older
        export is replaced only once the new one is complete).

        Args:
            export_dir: the folder to write.
            format: `"saved_model"`: a SavedModel whose signatures take raw
                input; it loads with `tf.saved_model.load` in a process
                without keras_seq. `"litert"`: `export_dir/model.tflite`,
                built-in ops only (the LSTM as the fused op), for
                applications that run on devices, and for text models
                `export_dir/vocabulary.json`.
            quantize: for LiteRT, `"none"`, `"float16"` or `"dynamic"`
                (int8 weights).

        Returns:
            `export_dir`.

        Raises:
            UserInputError: an unknown format, or LiteRT for an application
                (or a model) that has no LiteRT form.
        """
        if format == "saved_model":
            return save_module(self.serving_module(), export_dir, self.signatures)
        if format != "litert":
            raise UserInputError(f"unknown export format {format!r}; choose saved_model or litert")
        if self.litert is None:
            raise UserInputError(f"the {self.noun} has no LiteRT export; export a SavedModel (--format saved_model)")
        return self.export_litert(export_dir, quantize)

    def export_litert(self, export_dir, quantize="none"):
        """`export(export_dir, format="litert")`: the application's LiteRT
        model (`litert`'s `write`) in `export_dir/model.tflite`, with its
        `assets()` (`{file name: JSON content}`: vocabularies, and how a
        caller maps input to ids) written beside it."""
        from keras_seq.export import atomic_dir

        parent = os.path.dirname(os.path.abspath(export_dir))
        if not os.path.isdir(parent):
            raise UserInputError(f"no folder {parent} to write {os.path.basename(export_dir)} in")
        exporter = import_object(self.litert)(self)
        with atomic_dir(export_dir) as partial:
            exporter.write(os.path.join(partial, "model.tflite"), quantize)
            for name, content in exporter.assets().items():
                with open(os.path.join(partial, name), "w", encoding="utf-8") as file:
                    json.dump(content, file, ensure_ascii=False, indent=1)
        return export_dir

    # ------------------------------------------------------------- training
    def fit(self, data, **kwargs):
        """Train on the user's own raw examples: `model.fit` on a batched
        `tf.data.Dataset` of what the application reads (strings for the
        char LM, `(text, label)` for the classifier, `(source, target)`
        for the translator), encoded inside the pipeline by
        `encode_batch`. Keyword arguments go to `fit`.

        Examples:
            >>> task.fit(tf.data.Dataset.from_tensor_slices((texts, labels)).batch(32), epochs=2)
        """
        import tensorflow as tf  # data pipeline

        # the user's pipeline does its own shuffling
        return self.model.fit(
            data.map(self.encode_batch, num_parallel_calls=tf.data.AUTOTUNE), **{"shuffle": False, **kwargs}
        )

    def encode_batch(self, *batch):
        """A batch of raw examples -> what the model trains on (TensorFlow ops)."""
        raise NotImplementedError

    # ------------------------------------------------------------ evaluation
    def evaluate(self, data, **kwargs):
        """A dict of metrics (names in snake_case) on `data`."""
        raise NotImplementedError

    def describe(self, metrics):
        """One human-readable line about `metrics`."""
        return ", ".join(f"{k} {v}" for k, v in metrics.items() if isinstance(v, (int, float)))

    # ------------------------------------------------------------------ data
    objective = "val_loss"

    @classmethod
    def read_examples(cls, source, split="train", **data_options):
        """The raw examples of `source` (`split` applies to tfds sources);
        they have a `description` and, for the default split, `subset`."""
        raise NotImplementedError

    @classmethod
    def split_examples(cls, examples, fraction, seed):
        """`(train, validation)`: a seeded random split."""
        from keras_seq.data import seeded_split

        kept, held_out = seeded_split(len(examples), fraction, seed, examples.description)
        return examples.subset(kept), examples.subset(held_out)

    @classmethod
    def training_examples(cls, source, config, **data_options):
        """`(train, validation)` raw examples: `config.validation_split` of
        the source's train split held out (seeded by `config.seed`)."""
        return cls.split_examples(
            cls.read_examples(source, "train", **data_options), config.validation_split, config.seed
        )

    def evaluation_examples(self, source, split="validation", validation_split=None, **data_options):
        """The examples `evaluate --split` measures on: `validation` (the part
        held out in training, by the saved `validation_split` and seed),
        `all` (the whole source) or a tfds split name."""
        config = self.config if validation_split is None else self.config.replace(validation_split=validation_split)
        if split == "validation":
            return self.training_examples(source, config, **data_options)[1]
        if split == "all":
            return self.read_examples(source, "train", **data_options)
        if str(source).startswith("tfds:"):
            return self.read_examples(source, split, **data_options)
        raise UserInputError(f"--split {split!r} needs a tfds: source; use validation or all")

    @classmethod
    def prepare(cls, config, train_examples, validation_examples):
        """Encode the examples: a `keras_seq.applications.training.Prepared`."""
        raise NotImplementedError

    @classmethod
    def build(cls, config, **assets):
        """The application's builder: a compiled `AppModel`."""
        return cls.builder(config, **assets)

    def training_callbacks(self, prepared, print_fn=print, verbose=1):
        """The application's own callbacks for `fit`."""
        return []

    @classmethod
    def check_strategy(cls, config):
        """Raise `UserInputError` for a config that cannot train on several
        replicas (called before anything is read or written)."""
