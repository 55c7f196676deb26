import gzip

import pytest

from keras_seq.applications.translate import read_source
from keras_seq.data import WordVocabulary, normalize
from keras_seq.errors import UserInputError


def test_normalize_and_vocabulary():
    assert normalize("Hello, World!  It's (fine).") == "hello , world ! it's ( fine ) ."
    vocab = WordVocabulary.build(["a b a", "c a"], max_size=6)
    assert vocab.tokens[4:] == ["a", "b"]
    ids = vocab.encode("a zebra b", add_end=True)
    assert ids.tolist() == [4, 1, 5, 3] and vocab.decode(ids) == "a [UNK] b"


def test_in_graph_normalization_matches_python():
    import tensorflow as tf

    from keras_seq.data import tf_normalize

    texts = ["Hello, World!", "  Ein  Mann (Ümlaut) fährt.  "]
    assert [t.decode() for t in tf_normalize(tf.constant(texts)).numpy()] == [normalize(t) for t in texts]
    cased = [t.decode() for t in tf_normalize(tf.constant(texts), lowercase=False).numpy()]
    assert cased == [normalize(t, lowercase=False) for t in texts] and cased[1] == "Ein Mann ( Ümlaut ) fährt ."


def test_parallel_files_gz_and_mismatch(tmp_path):
    (tmp_path / "train.en").write_text("a cat\nthe dog\n", encoding="utf-8")
    with gzip.open(tmp_path / "train.de.gz", "wt", encoding="utf-8") as f:
        f.write("eine katze\nder hund\n")
    pairs = read_source(str(tmp_path / "train"), "en", "de")
    assert pairs.sources == ["a cat", "the dog"] and pairs.targets == ["eine katze", "der hund"]
    (tmp_path / "bad.en").write_text("a\nb\nc\n", encoding="utf-8")
    (tmp_path / "bad.de").write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="has 3 lines but"):
        read_source(str(tmp_path / "bad"), "en", "de")


def test_tsv_with_empty_lines_and_sides(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("Go.\tGeh.\tCC-BY\n\nHi.\t\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="skipped 1 pair"):
        pairs = read_source(str(path))
    assert pairs.sources == ["Go."] and pairs.targets == ["Geh."]


def test_embedded_dates_reorder():
    pairs = read_source("embedded")
    assert len(pairs) == 12000
    assert any(
        s.startswith(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
        for s in pairs.sources
    )
    i = next(
        i
        for i, s in enumerate(pairs.sources)
        if s.count(",") == 1
        and s[0].isalpha()
        and not s.startswith(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
        and "." not in pairs.targets[i][-4:]
        and " " in pairs.targets[i]
    )
    assert pairs.targets[i].split()[0].endswith(".")  # "5. März 2021": the day comes first


def test_missing_source():
    with pytest.raises(UserInputError, match="no such data"):
        read_source("/no/such/prefix")


def test_tfds_source_with_mock_data():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=4):
        pairs = read_source("tfds:ted_hrlr_translate/pt_to_en", "pt", "en", "train")
    assert len(pairs) >= 1 and "tfds:ted_hrlr_translate" in pairs.description


def test_bucketed_batches_counts_what_the_bucketed_dataset_gives():
    import numpy as np

    from keras_seq.applications.translate.data import BUCKETS, bucketed_batches, bucketed_dataset

    rng = np.random.default_rng(0)
    lengths = list(rng.integers(1, 90, 300)) + list(BUCKETS)  # boundaries included
    src = [np.ones(n, "int32") for n in lengths]
    tgt = [np.ones(int(rng.integers(1, 40)), "int32") for _ in lengths]
    for batch_size in (1, 7, 32):
        data = bucketed_dataset(src, tgt, tgt, batch_size, shuffle=True, seed=0)
        assert bucketed_batches(src, tgt, batch_size) == sum(1 for _ in data)
