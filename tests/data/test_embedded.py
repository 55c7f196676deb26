from keras_seq.data import pydoc_topics_text


def test_pydoc_topics_is_large_stable_text():
    text = pydoc_topics_text()
    assert len(text) > 200_000
    assert text == pydoc_topics_text()  # stable order
    assert pydoc_topics_text(max_chars=100) == text[:100]
