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
