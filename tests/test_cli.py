import json
import os
import subprocess
import sys

import keras
import pytest

import keras_seq
from keras_seq.applications import cli


def test_version_and_help():
    out = subprocess.run(
        [sys.executable, "-m", "keras_seq.applications.cli", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.strip() == f"keras-seq {keras_seq.__version__}"
    out = subprocess.run([sys.executable, "-m", "keras_seq.applications.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "quickstart" in out.stdout


def test_every_help_names_the_data_sources_once(capsys):
    for app in cli.APPLICATIONS:
        for action in ("train", "evaluate", "tune"):
            with pytest.raises(SystemExit):
                cli.main([app, action, "--help"])
            out = " ".join(capsys.readouterr().out.split())
            assert out.count("'embedded'") == 1, (app, action, out)
    with pytest.raises(SystemExit):
        cli.main(["ntm", "evaluate", "--help"])
    assert "tfds:" not in capsys.readouterr().out  # the NTM generates its data


@pytest.mark.parametrize("flag", [["--time-budget", "0"], ["--time-budget", "abc"], ["--units", "-1"]])
def test_bad_flag_values_exit_2(flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["quickstart", *flag])
    assert exit_info.value.code == 2
    assert "error" in capsys.readouterr().err


def test_quickstart_trains_exports_and_generates_from_the_export(tmp_path, capsys):
    model_dir = tmp_path / "qs"
    code = cli.main(["quickstart", "--model-dir", str(model_dir), "--time-budget", "3", "--units", "32", "--quiet"])
    assert code == 0
    out = capsys.readouterr().out
    metrics = json.loads(out.strip().splitlines()[-1])
    assert metrics["val_loss"] > 0 and metrics["bits_per_char"] > 0
    assert "Samples from the saved model" in out
    assert "in a process that never imported keras_seq" in out
    assert os.path.exists(model_dir / "model.keras") and os.path.exists(model_dir / "export" / "saved_model.pb")
    assert not [p for p in os.listdir(model_dir) if p.startswith(".")]
    keras.saving.load_model(model_dir / "model.keras", safe_mode=True)


def test_every_package_is_installed_by_pyproject():
    """A wheel holds only the packages pyproject lists: an application
    missing there would work in the editable install and not in a real one."""
    import pathlib

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    root = pathlib.Path(__file__).resolve().parents[1]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        "keras_seq." + ".".join(p.parent.relative_to(root / "keras_seq").parts)
        for p in (root / "keras_seq").rglob("__init__.py")
    }
    found = {name.rstrip(".") for name in found} | {
        "keras_seq.applications" + "".join("." + part for part in p.parent.relative_to(root / "applications").parts)
        for p in (root / "applications").rglob("__init__.py")
    }
    assert found <= listed, sorted(found - listed)
