"""Tagged sentences for the tagger: CoNLL-style column files, CoNLL-U,
WikiANN's `en:word<TAB>tag`, `tfds:conll2003`, and the embedded corpus.

Chunk tags (named entities, chunks) end up in IOB2: IOB1 input is
converted, BIOES is kept, and an invalid sequence (an `I-X` that opens an
entity) is repaired with a count. Other tags (parts of speech) are read as
they are.
"""

import dataclasses
import os
import re
import warnings

from keras_seq.applications.examples import Examples
from keras_seq.data import load_tfds, read_lines
from keras_seq.data.tag_schemes import iob2_to_bioes, split_tag, to_iob2
from keras_seq.errors import UserInputError

CONLLU_COLUMNS = {"upos": 3, "xpos": 4}
LANGUAGE_PREFIX = re.compile(r"^[a-z]{2,3}:(?=.)")  # WikiANN's "en:" before each word


@dataclasses.dataclass
class Tagged(Examples):
    """Sentences (lists of words) and their tags (lists of tag names), and
    where they came from."""

    aligned = ("sentences", "tags")

    sentences: list
    tags: list
    description: str

    def tag_set(self):
        """The tags seen, sorted (`O` first)."""
        return sorted({t for row in self.tags for t in row}, key=lambda t: (t != "O", t))


def tag_scheme(tags):
    """`"bioes"`, `"iob2"` (chunk tags: `O` and `B-`/`I-` prefixes, IOB1
    input included) or None (any other tag set: parts of speech)."""
    try:
        prefixes = {split_tag(t, "bioes")[0] for t in tags}
    except ValueError:
        return None
    if not prefixes - {"O"}:
        return None
    return "bioes" if prefixes & {"E", "S"} else "iob2"


def _is_iob1(tag_rows):
    """IOB1 opens entities with `I-` and keeps `B-` for an entity right
    after one of its own type; IOB2 opens every entity with `B-`."""
    opened_by_i = opened_by_b = 0
    for row in tag_rows:
        previous = ("O", None)
        for tag in row:
            prefix, kind = split_tag(tag, "iob2")
            opens = previous[0] == "O" or previous[1] != kind
            if prefix == "I" and opens:
                opened_by_i += 1
            elif prefix == "B" and previous[0] == "O":
                opened_by_b += 1
            previous = (prefix, kind)
    return opened_by_i > opened_by_b


def normalize_tags(data, print_fn=None):
    """Chunk tags to the scheme the model learns (IOB2, or BIOES as it is),
    with a warning that counts the repairs. Returns a new `Tagged`."""
    scheme = tag_scheme(data.tag_set())
    if scheme is None:
        return data
    source = "iob1" if scheme == "iob2" and _is_iob1(data.tags) else scheme
    rows, repaired = [], 0
    for row in data.tags:
        fixed, count = to_iob2(row, source) if scheme == "iob2" else _keep_bioes(row)
        rows.append(fixed)
        repaired += count
    if repaired:
        warnings.warn(f"{data.description}: {repaired} tag(s) that broke {source.upper()} were repaired", stacklevel=2)
    description = data.description + (" (IOB1, read as IOB2)" if source == "iob1" else "")
    return Tagged(data.sentences, rows, description)


def _keep_bioes(row):
    """A BIOES sentence as it is, or repaired through its IOB2 reading."""
    fixed, repaired = to_iob2(row, "bioes")
    return iob2_to_bioes(fixed), repaired


# ----------------------------------------------------------------- readers
def read_columns(path, word_column=0, tag_column=-1):
    """A CoNLL-style file: one token a line, whitespace-separated columns
    (the word and the tag among them), a blank line between sentences,
    `-DOCSTART-` lines skipped. WikiANN's `en:` before each word goes.

    Lines with another number of columns than the file's first token line
    are skipped with their sentence, with a count (an error when that is
    most of them).
    """
    lines = read_lines(path)
    sentences, tags, words_now, tags_now = [], [], [], []
    width, bad_sentences, sentence_bad = None, 0, False

    def close():
        nonlocal words_now, tags_now, sentence_bad, bad_sentences
        if words_now and not sentence_bad:
            sentences.append(words_now)
            tags.append(tags_now)
        bad_sentences += sentence_bad
        words_now, tags_now, sentence_bad = [], [], False

    for line in lines:
        fields = line.split()
        if not fields:
            close()
            continue
        if fields[0] == "-DOCSTART-":
            close()
            continue
        width = width or len(fields)
        if len(fields) != width or width < 2:
            sentence_bad = True
            continue
        try:
            words_now.append(fields[word_column])
            tags_now.append(fields[tag_column])
        except IndexError:
            raise UserInputError(
                f"{path}: --word-column {word_column} / --tag-column {tag_column} outside its {width} columns"
            ) from None
    close()
    if width is not None and width < 2:
        raise UserInputError(f"{path}: one column only; expected a word and a tag on each line")
    _check_read(path, sentences, bad_sentences, "with another number of columns than the first line")
    if all(LANGUAGE_PREFIX.match(w) for row in sentences[:50] for w in row):
        sentences = [[LANGUAGE_PREFIX.sub("", w) for w in row] for row in sentences]
    return Tagged(sentences, tags, path)


def read_conllu(path, tag_column="upos"):
    """A CoNLL-U file (Universal Dependencies): the word form and the
    `upos` (default) or `xpos` tag of each word; comments, multiword
    tokens and empty nodes skipped."""
    if tag_column not in CONLLU_COLUMNS:
        raise UserInputError(f"a CoNLL-U file's --tag-column is upos or xpos; got {tag_column!r}")
    column = CONLLU_COLUMNS[tag_column]
    sentences, tags, words_now, tags_now, bad = [], [], [], [], 0
    for line in read_lines(path) + [""]:
        if not line.strip():
            if words_now:
                sentences.append(words_now)
                tags.append(tags_now)
            words_now, tags_now = [], []
            continue
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 10:
            bad += 1
            continue
        if "-" in fields[0] or "." in fields[0]:
            continue  # a multiword token's line, or an empty node
        words_now.append(fields[1])
        tags_now.append(fields[column])
    _check_read(path, sentences, bad, "lines without 10 tab-separated columns")
    return Tagged(sentences, tags, f"{path} ({tag_column})")


def _check_read(path, sentences, skipped, why):
    if not sentences:
        raise UserInputError(f"{path}: no tagged sentence" + (f" ({skipped} skipped: {why})" if skipped else ""))
    if skipped > len(sentences):
        raise UserInputError(f"{path}: {skipped} sentences {why}, {len(sentences)} readable; is it the right format?")
    if skipped:
        warnings.warn(f"{path}: {skipped} sentence(s) skipped: {why}", stacklevel=3)


def check_tag_column(data):
    """Refuse a tag column that holds words (the wrong --tag-column)."""
    tag_set = data.tag_set()
    words = {w for row in data.sentences for w in row}
    if len(tag_set) > 200 and len(set(tag_set) & words) > len(tag_set) // 2:
        raise UserInputError(
            f"{data.description}: the tag column holds {len(tag_set)} different values, most of them words; "
            "choose the tag column with --tag-column"
        )
    return data


def read_tfds(name, split):
    """`tfds:conll2003` and datasets of its shape (`tokens` and `ner`, or
    the feature `--tag-column` names)."""
    examples, info = load_tfds(name, split, with_info=True)
    feature = "ner" if "ner" in info.features else next((k for k in ("pos", "tags") if k in info.features), None)
    if feature is None or "tokens" not in info.features:
        raise UserInputError(f"tfds:{name} has no 'tokens' and 'ner'/'pos' features to tag")
    names = info.features[feature].feature.names
    sentences = [[t.decode("utf-8") for t in ex["tokens"]] for ex in examples]
    tags = [[names[i] for i in ex[feature]] for ex in examples]
    keep = [i for i, row in enumerate(sentences) if row]
    return Tagged([sentences[i] for i in keep], [tags[i] for i in keep], f"tfds:{name} ({split})")


def read_source(source, split="train", word_column=0, tag_column=None):
    """Tagged sentences from `source`.

    Args:
        source: `"embedded"`, `"tfds:NAME"`, a `.conllu` file (or `.gz`)
            or a CoNLL-style column file.
        split: for tfds and the embedded corpus.
        word_column, tag_column: the columns of a column file (default:
            the first and the last); for CoNLL-U, `tag_column` is `upos`
            (default) or `xpos`.

    Returns:
        A `Tagged`, chunk tags in IOB2 (or BIOES).
    """
    if source == "embedded":
        from keras_seq.applications.tag.embedded import embedded_corpus

        data = embedded_corpus(split)
    elif source.startswith("tfds:"):
        data = read_tfds(source[5:], split)
    else:
        if not os.path.isfile(source):
            raise UserInputError(f"no such file: {source}")
        if source.endswith((".conllu", ".conllu.gz")):
            data = read_conllu(source, tag_column or "upos")
        else:
            column = -1 if tag_column is None else _column_number(tag_column)
            data = read_columns(source, _column_number(word_column), column)
    return normalize_tags(check_tag_column(data))


def _column_number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UserInputError(f"a column file's columns are numbers (0 the first, -1 the last); got {value!r}") from None
