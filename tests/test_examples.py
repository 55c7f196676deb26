"""The examples run end to end on tiny data."""

import importlib.util
import pathlib

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# about 20 s of training; its parts (AttentionDecoderCell, BeamSearch, the SavedModel's decoding) are checked in the
# default run by tests/layers, tests/decoding and the translator's tests. Run it (`-m slow`) when the example changes.
@pytest.mark.slow
def test_the_tfa_nmt_port_trains_translates_and_serves(tmp_path, capsys):
    port = _load("tfa_nmt_port")
    translator, exact, sources, served = port.main(
        ["--toy-pairs", "800", "--epochs", "8", "--export", str(tmp_path / "export")]
    )
    assert exact >= 0.8, capsys.readouterr().out  # the toy language is learned (held-out sentences)
    assert served == translator.translate(sources, beam_width=4)  # the SavedModel decodes as the Python model does
    assert "greedy:" in capsys.readouterr().out
