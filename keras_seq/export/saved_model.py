"""Writing a serving module as a TensorFlow SavedModel."""

from keras_seq.export.atomic import atomic_dir


def save_module(module, export_dir, signatures):
    """Write `module` (a `tf.Module` whose `tf.function`s have input
    signatures) as a SavedModel with the named `signatures`, through a
    temporary folder: an older export is replaced only once the new one is
    complete.

    Args:
        module: the `tf.Module` (it tracks the Keras layers it calls).
        export_dir: the SavedModel's folder.
        signatures: names of the module's `tf.function`s to serve.

    Returns:
        `export_dir`.
    """
    import tensorflow as tf  # export

    concrete = {name: getattr(module, name).get_concrete_function() for name in signatures}
    with atomic_dir(export_dir) as tmp:
        tf.saved_model.save(module, tmp, signatures=concrete)
    return export_dir


def beam_search_text(
    step, state, memory, words, max_length, beam_width, length_penalty, start_id, end_id, no_repeat_ngram=0
):
    """Beam search inside a serving graph, ending in text: the best
    hypothesis of each input as its words joined by spaces (nothing after
    the end token).

    Args:
        step: `(tokens, state, memory) -> (logits, state)`.
        state, memory: the decoder's initial state and its constants.
        words: a string tensor `(V,)` of every id's word as the output
            writes it (`WordVocabulary.output_words`: `""` for the tokens
            that write nothing, which the join leaves out).
        max_length, beam_width, length_penalty: as for `keras_seq.decoding.beam_search`.
        start_id, end_id, no_repeat_ngram: as for `keras_seq.decoding.beam_search`.

    Returns:
        A string tensor `(B,)`.
    """
    import tensorflow as tf  # export

    from keras_seq.decoding import beam_search

    batch = tf.shape(tf.nest.flatten(state)[0])[0]
    out = beam_search(
        step, state, tf.fill([batch], start_id), max_length,
        end_token=end_id, beam_width=beam_width, length_penalty=length_penalty, constants=memory,
        no_repeat_ngram=no_repeat_ngram,
    )  # fmt: skip
    tokens = out["tokens"][:, 0]  # (B, L), the best hypothesis
    tokens = tf.where(
        tf.cumsum(tf.cast(tokens == end_id, tf.int32), axis=1) > 0, 0, tokens
    )  # (B, L), nothing from the end token on
    written = tf.gather(words, tokens)  # (B, L)
    written = tf.ragged.boolean_mask(written, tf.strings.length(written) > 0)  # (B, <= L): no empty token
    return tf.strings.reduce_join(written, axis=-1, separator=" ")
