import gzip
import warnings

import pytest

from keras_seq.applications.tag.data import read_source, tag_scheme
from keras_seq.errors import UserInputError
from tests.applications.tag.conftest import toy_news, write_conll


def test_a_column_file_with_more_columns(tmp_path):
    sentences, tags = toy_news(20)
    path = write_conll(tmp_path / "t.txt", sentences, tags, lambda w, t: [w, "NN", "B-NP", t])
    data = read_source(str(path))
    assert data.sentences == sentences and data.tags == tags and len(data) == 20
    chunks = read_source(str(path), tag_column="2")
    assert {t for row in chunks.tags for t in row} == {"B-NP"}


def test_wikiann_prefixes_go_and_gzip_is_read(tmp_path):
    sentences, tags = toy_news(10)
    text = "\n\n".join("\n".join(f"en:{w}\t{t}" for w, t in zip(s, r)) for s, r in zip(sentences, tags))
    path = tmp_path / "wikiann.tsv.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    assert read_source(str(path)).sentences == sentences


def test_iob1_becomes_iob2_and_broken_iob2_is_repaired_with_a_count(tmp_path):
    words = [["John", "Smith", "met", "Mary", "Ann", "Lee"]]
    iob1 = write_conll(tmp_path / "iob1.txt", words, [["I-PER", "I-PER", "O", "I-PER", "B-PER", "I-PER"]])
    data = read_source(str(iob1))
    assert data.tags == [["B-PER", "I-PER", "O", "B-PER", "B-PER", "I-PER"]] and "IOB1" in data.description
    broken = write_conll(
        tmp_path / "broken.txt",
        [["John", "met", "Mary"], ["in", "Paris"], ["Oslo", "is", "cold"]],
        [["B-PER", "O", "B-PER"], ["O", "I-LOC"], ["B-LOC", "O", "O"]],
    )
    with pytest.warns(UserWarning, match="1 tag"):
        data = read_source(str(broken))
    assert data.tags[1] == ["O", "B-LOC"]


def test_conllu_parts_of_speech(tmp_path):
    path = tmp_path / "t.conllu"
    path.write_text(
        "# sent_id = 1\n1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n\n",
        encoding="utf-8",
    )
    data = read_source(str(path))
    assert data.sentences == [["I", "do", "n't"]] and data.tags == [["PRON", "AUX", "PART"]]
    assert read_source(str(path), tag_column="xpos").tags == [["PRP", "VBP", "RB"]]
    assert tag_scheme(data.tag_set()) is None and tag_scheme(["O", "B-X", "I-X"]) == "iob2"


@pytest.mark.parametrize(
    "content, match",
    [
        ("", "no tagged sentence"),
        ("\n\n  \n", "no tagged sentence"),
        ("one\ntwo\nthree\n", "one column only"),
        ("a O\nb O\nc O d\ne O f\n\nx O y\n\ny O z\n", "another number of columns"),
    ],
)
def test_bad_files(tmp_path, content, match):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserInputError, match=match):
        read_source(str(path))


def test_a_wrong_line_skips_its_sentence_with_a_count(tmp_path):
    sentences, tags = toy_news(6)
    path = write_conll(tmp_path / "t.txt", sentences, tags)
    path.write_text(path.read_text(encoding="utf-8").replace(f"\n{sentences[2][0]} ", f"\n{sentences[2][0]} X ", 1))
    with pytest.warns(UserWarning, match="1 sentence"):
        assert len(read_source(str(path))) == 5


def test_a_tag_column_of_words_and_other_bad_sources(tmp_path):
    rows = "\n\n".join(f"w{i} O word{i}" for i in range(300))
    (tmp_path / "words.txt").write_text(rows + "\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="most of them words"):
        read_source(str(tmp_path / "words.txt"), tag_column="0")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 O\n".encode("latin-1"))
    with pytest.raises(UserInputError, match="UTF-8"):
        read_source(str(tmp_path / "latin1.txt"))
    with pytest.raises(UserInputError, match="no such file"):
        read_source(str(tmp_path / "absent.txt"))
    with pytest.raises(UserInputError, match="splits validation, all, train, test"):
        read_source("embedded", "dev")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(UserInputError, match="tfds"):
            read_source("tfds:no_such_dataset_here")


def test_the_embedded_corpus_holds_out_its_test_names():
    from keras_seq.data import synthetic_news as news

    train, test = read_source("embedded"), read_source("embedded", "test")
    assert (len(train.sentences), len(test.sentences)) == (3000, 500) and "generated news" in train.description
    assert train.tag_set() == ["O", "B-LOC", "B-ORG", "B-PER", "I-LOC", "I-ORG", "I-PER"]

    def listed(data):  # the words of PER and LOC entities that come from the name lists
        names = set(news.FIRST + news.LAST + " ".join(news.CITIES + news.COUNTRIES).split())
        return {
            w for ws, row in zip(data.sentences, data.tags) for w, t in zip(ws, row) if t[2:] in ("PER", "LOC")
        } & names

    assert len(listed(test)) > 20 and not (listed(train) & listed(test) - {"New", "South", "San", "the"})
