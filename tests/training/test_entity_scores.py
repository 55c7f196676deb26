from keras_seq.training import entity_scores, token_accuracy


def test_entity_scores_follow_conlleval():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-LOC", "O"]]
    predicted = [["B-PER", "O", "O", "B-LOC"], ["B-LOC", "B-PER"]]
    scores = entity_scores(gold, predicted)
    # gold: PER(0,2), LOC(3,4), LOC(0,1); predicted: PER(0,1) wrong span, LOC, LOC, PER(1,2) spurious
    assert (scores["precision"], scores["recall"], scores["entities"]) == (50.0, 66.67, 3)
    assert scores["per_type"]["LOC"]["f1"] == 100.0 and scores["per_type"]["PER"]["f1"] == 0.0


def test_token_accuracy_and_bioes():
    assert token_accuracy([["O", "B-X"], ["O"]], [["O", "O"], ["O"]]) == {"accuracy": 66.67, "tokens": 3}
    scores = entity_scores([["S-PER", "B-LOC", "E-LOC"]], [["S-PER", "B-LOC", "I-LOC"]], "bioes")
    assert scores["f1"] == 100.0  # an unclosed B-I is read as the same span, as conlleval does


def test_the_graph_metric_agrees_with_conlleval_on_random_tags():
    import numpy as np

    from keras_seq.training import EntityF1

    names = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 7, size=(64, 9))
    predicted = np.where(rng.random((64, 9)) < 0.7, gold, rng.integers(0, 7, size=(64, 9)))  # mostly right
    lengths = rng.integers(1, 10, size=64)
    mask = np.arange(9)[None, :] < lengths[:, None]
    metric = EntityF1(names)
    scores = np.eye(7)[predicted]  # (B, T, K): argmax gives `predicted`
    metric.update_state(gold[:32], scores[:32], sample_weight=mask[:32])  # two batches: the counts add up
    metric.update_state(gold[32:], scores[32:], sample_weight=mask[32:])
    as_names = [[[names[t] for t in row[:n]] for row, n in zip(ids, lengths)] for ids in (gold, predicted)]
    expected = entity_scores(*as_names)["f1"] / 100
    assert abs(float(metric.result()) - expected) < 1e-4 and 0.3 < expected < 0.95
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_the_graph_metric_reads_packed_crf_scores():
    import numpy as np

    from keras_seq.ops.crf import crf_decode, crf_pack
    from keras_seq.training import EntityF1

    names = ["O", "B-PER", "I-PER"]
    rng = np.random.default_rng(1)
    packed = crf_pack(rng.normal(size=(8, 6, 3)), rng.normal(size=(3, 3)), np.zeros(3), np.zeros(3))
    best = np.asarray(crf_decode(packed)[0])
    metric = EntityF1(names)
    metric.update_state(best, packed)
    has_entities = any(t in (1, 2) for t in best.ravel())
    assert float(metric.result()) == (1.0 if has_entities else 0.0)
