"""`keras-seq tag export --format litert`: ids in, tag ids out, the Viterbi decoding inside."""

import json

import numpy as np
import tensorflow as tf

from keras_seq.export.litert import FUSED_LSTM
from tests.applications.shared import RUN_IDS, litert_exported, on_device


def test_the_litert_model_tags_as_the_tagger_does(trained, tmp_path, capsys):
    tagger, _, _, model_dir = trained
    folder = tmp_path / "litert"
    ops = litert_exported(capsys, "tag", model_dir, folder)
    assert FUSED_LSTM in ops and "WHILE" in ops  # the bidirectional LSTMs fused; the Viterbi recursion a loop
    about = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    assert about["words"] == tagger.assets["words"] and about["tags"] == list(tagger.config.tags)
    t, w = about["max_length"], about["max_word_length"]
    for sentence in ["Mary flew to Paris .", "Tom Smith lives near Cairo and Oslo ."]:
        pre = tagger.preprocessor
        word_ids, char_ids, case_ids = (x.numpy()[0] for x in pre.encode(pre.tokenize(tf.constant([sentence]))))
        n = len(sentence.split())
        ids = {
            "word_ids": np.pad(word_ids, (0, t - len(word_ids))).tolist(),
            "char_ids": np.pad(char_ids, ((0, t - char_ids.shape[0]), (0, w - char_ids.shape[1]))).tolist(),
            "case_ids": np.pad(case_ids, (0, t - len(case_ids))).tolist(),
        }
        tags = [
            about["tags"][i] for i in on_device(RUN_IDS, folder, json.dumps(ids), "int32", "tag_ids")["tag_ids"][:n]
        ]
        assert tags == tagger.tag(sentence)[0]["tags"]
