import pytest

from keras_seq.applications.caption import Captioner, CaptionerConfig, train
from tests.applications.shared import trained_once

# a captioner small enough to train in seconds on strips of one or two digits
SMALL = CaptionerConfig(
    image_height=16,
    image_width=40,
    filters=16,
    decoder_units=64,
    embedding_dim=16,
    batch_size=16,
    learning_rate=3e-3,
    dropout=0.0,
    beam_width=3,
)


def write_strips(folder, count, seed=0, max_digits=2):
    """`count` embedded digit strips saved as PNG files with a captions.csv (a user's folder)."""
    from PIL import Image

    from keras_seq.applications.caption import embedded_captions

    folder.mkdir(parents=True, exist_ok=True)
    data = embedded_captions(count, seed=seed, max_digits=max_digits)
    lines = ["image,caption"]
    for i, (pixels, captions) in enumerate(zip(data.images, data.captions)):
        Image.fromarray(pixels).save(folder / f"strip{i}.png")
        lines.append(f"strip{i}.png,{captions[0]}")
    (folder / "captions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def strips_folder(tmp_path_factory):
    return write_strips(tmp_path_factory.mktemp("strips"), 600)


@pytest.fixture(scope="session")
def trained(tmp_path_factory, strips_folder):
    """The small captioner, trained once for the whole session on the strips folder."""
    config = SMALL.replace(epochs=20, validation_split=0.1)
    captioner, history, model_dir = trained_once(
        tmp_path_factory, "captioner", train, Captioner.load, config, data=str(strips_folder)
    )
    return captioner, history, history.validation_examples, model_dir
