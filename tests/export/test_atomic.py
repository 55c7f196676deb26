import os
import subprocess
import sys

import pytest

from keras_seq.export.atomic import atomic_dir, atomic_file, recover_dir, remove_stale


def _dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_failed_write_leaves_the_previous_file_and_nothing_beside_it(tmp_path):
    path = tmp_path / "vocabulary.json"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(str(path)) as partial:
        with open(partial, "w") as file:
            file.write("half")
        raise RuntimeError("killed")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["vocabulary.json"]


def test_what_a_killed_writer_left_is_removed_and_a_live_writers_kept(tmp_path):
    dead = tmp_path / f".writing-{_dead_pid()}-abc"
    live = tmp_path / f".writing-{os.getppid()}-def"  # a process that runs
    other = tmp_path / ".writing-notapid"
    for folder in (dead, live, other):
        folder.mkdir()
        (folder / "model.keras").write_text("partial")
    assert remove_stale(str(tmp_path)) == [str(dead)]
    assert not dead.exists() and live.exists() and other.exists()
    with atomic_file(str(tmp_path / "model.keras")) as partial:
        open(partial, "w").close()
    assert sorted(os.listdir(tmp_path)) == sorted(["model.keras", live.name, other.name])


def test_a_writer_killed_between_the_renames_gets_the_previous_folder_back(tmp_path):
    final = tmp_path / "export"
    (tmp_path / "export.old").mkdir()  # renamed aside; the new one never came
    (tmp_path / "export.old" / "saved_model.pb").write_text("previous")
    assert recover_dir(str(final))
    assert (final / "saved_model.pb").read_text() == "previous"
    assert not recover_dir(str(final))  # nothing to recover now
    with atomic_dir(str(final)) as partial:
        with open(os.path.join(partial, "saved_model.pb"), "w") as file:
            file.write("new")
    assert (final / "saved_model.pb").read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["export"]
