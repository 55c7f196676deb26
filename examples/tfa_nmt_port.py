"""The TensorFlow Addons attention-NMT example, ported to keras-seq on Keras 3.

The model has the classic example's shape: an embedding and an LSTM
encoder; a decoder whose LSTM cell is wrapped with Luong (or Bahdanau)
attention (`tfa.seq2seq.AttentionWrapper` -> `AttentionDecoderCell`);
training with teacher forcing (`TrainingSampler` + `BasicDecoder` ->
`AttentionDecoder` over the shifted targets) and a loss over the real
tokens only (`tfa.seq2seq.sequence_loss` -> `SequenceLoss`); inference
greedy (`GreedyEmbeddingSampler`) and by beam search with a length penalty
(`BeamSearchDecoder`, `tile_batch` -> `EncoderDecoderSearch`, which
repeats the encoder memory per beam itself); and a SavedModel export whose
signature takes raw sentences.

    python examples/tfa_nmt_port.py                      # a toy language, a minute on a CPU
    python examples/tfa_nmt_port.py --data pairs.tsv --epochs 10 --export /tmp/nmt

`--data` is a file of `source<TAB>target` lines (the Anki/ManyThings files
of the TensorFlow tutorials are such files). See docs/guide/migrating.md.
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_seq.data import WordVocabulary, normalize, tf_normalize, toy_language_pairs  # noqa: E402
from keras_seq.data.word_vocabulary import END_ID, SPECIAL, START_ID  # noqa: E402
from keras_seq.decoding import EncoderDecoderSearch, attention_decoder_step  # noqa: E402
from keras_seq.export import beam_search_text, save_module  # noqa: E402
from keras_seq.layers import LSTM, AttentionDecoder, AttentionDecoderCell, BahdanauAttention, LSTMCell, LuongAttention  # noqa: E402
from keras_seq.training import SequenceLoss  # noqa: E402


def read_pairs(path):
    with open(path, encoding="utf-8") as file:
        rows = [line.rstrip("\n").split("\t") for line in file if line.strip()]
    return [(row[0], row[1]) for row in rows if len(row) >= 2]


def encode(vocab, sentences, max_length, start=False, end=False):
    """Right-padded ids `(N, L)`."""
    rows = [([START_ID] if start else []) + vocab.encode(s, max_length, add_end=end).tolist() for s in sentences]
    ids = np.zeros((len(rows), max(len(r) for r in rows)), "int32")
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
    return ids


class Translator:
    """The ported model: `model` trains on `[source ids, decoder input ids]`
    with the next target ids as labels; `translate` decodes."""

    def __init__(self, source_vocab, target_vocab, units=64, embedding_dim=32, attention="luong", max_length=20):
        self.source_vocab, self.target_vocab, self.max_length = source_vocab, target_vocab, max_length
        source = keras.Input((None,), dtype="int32", name="source")
        decoder_input = keras.Input((None,), dtype="int32", name="decoder_input")
        self.source_embedding = keras.layers.Embedding(
            source_vocab.size, embedding_dim, mask_zero=True, name="source_embedding"
        )
        self.encoder = LSTM(units, return_sequences=True, return_state=True, name="encoder")
        memory, h, c = self.encoder(self.source_embedding(source))  # (B, Ts, U), (B, U), (B, U)
        # AttentionWrapper(LSTMCell, LuongAttention(units), attention_layer_size=units)
        mechanism = LuongAttention("general") if attention == "luong" else BahdanauAttention(units)
        self.decoder = AttentionDecoder(
            AttentionDecoderCell(LSTMCell(units), mechanism, output_units=units), name="decoder"
        )
        self.target_embedding = keras.layers.Embedding(
            target_vocab.size, embedding_dim, mask_zero=True, name="target_embedding"
        )
        outputs, _ = self.decoder(self.target_embedding(decoder_input), memory, initial_state=[h, c])  # (B, Tt, U)
        self.logits = keras.layers.Dense(target_vocab.size, name="logits")  # BasicDecoder's output_layer
        self.model = keras.Model([source, decoder_input], self.logits(outputs))
        self.model.compile(keras.optimizers.Adam(0.01), SequenceLoss(ignore_class=0))
        self.step = attention_decoder_step(self.decoder.cell, self.target_embedding, self.logits)
        self.search = EncoderDecoderSearch(self.encode, self.step, START_ID, END_ID)

    def encode(self, source_ids):
        """Source ids `(B, Ts)` -> the prepared memory and the decoder's first state."""
        mask = source_ids != 0
        memory, h, c = self.encoder(self.source_embedding(source_ids), mask=mask)
        prepared = self.decoder.cell.prepare_memory(memory, mask)
        return prepared, self.decoder.cell.complete_state([h, c], prepared)

    def fit(self, pairs, epochs, batch_size=64):
        sources = encode(self.source_vocab, [s for s, _ in pairs], self.max_length)
        targets = encode(self.target_vocab, [t for _, t in pairs], self.max_length, start=True, end=True)
        # teacher forcing: the decoder reads the target shifted right and predicts the next token
        return self.model.fit(
            [sources, targets[:, :-1]], targets[:, 1:], epochs=epochs, batch_size=batch_size, verbose=0
        )

    def translate(self, sentences, beam_width=1, length_penalty=0.6):
        ids = encode(self.source_vocab, [normalize(s) for s in sentences], self.max_length)
        tokens = self.search(ids, max_length=2 * self.max_length, beam_width=beam_width, length_penalty=length_penalty)
        return [self.target_vocab.decode(row) for row in tokens]

    def export(self, path, beam_width=4, length_penalty=0.6):
        """A SavedModel: `translate(sentences: string[B]) -> string[B]`, beam search in the graph."""
        translator = self

        class Module(tf.Module):
            def __init__(self):
                super().__init__()
                self.model = translator.model  # tracked: the weights
                self.table = translator.source_vocab.lookup_table()
                self.words = tf.constant([""] * len(SPECIAL) + translator.target_vocab.words)

            @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="sentences")])
            def translate(self, sentences):
                words = tf.strings.split(tf_normalize(sentences))[:, : translator.max_length]  # ragged (B, None)
                ids = tf.pad(
                    tf.ragged.map_flat_values(self.table.lookup, words).to_tensor(0), [[0, 0], [0, 1]]
                )  # (B, Ts + 1)
                memory, state = translator.encode(ids)
                text = beam_search_text(
                    translator.step,
                    state,
                    memory,
                    self.words,
                    2 * translator.max_length,
                    beam_width,
                    length_penalty,
                    START_ID,
                    END_ID,
                )
                return tf.strings.strip(text)  # (B,), without the padding's separators

        return save_module(Module(), path, ["translate"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="source<TAB>target lines (default: a toy language)")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument(
        "--toy-pairs", type=int, default=2000, help="sentence pairs of the toy language (without --data)"
    )
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--attention", choices=["luong", "bahdanau"], default="luong")
    parser.add_argument("--export", default=os.path.join("saved_models", "tfa_nmt_port"), help="SavedModel folder")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    pairs = read_pairs(args.data) if args.data else toy_language_pairs(args.toy_pairs, max_words=5)
    pairs = [(normalize(s), normalize(t)) for s, t in pairs]
    held_out, pairs = pairs[:50], pairs[50:]
    source_vocab = WordVocabulary.build([s for s, _ in pairs], 8000)
    target_vocab = WordVocabulary.build([t for _, t in pairs], 8000)
    translator = Translator(source_vocab, target_vocab, units=args.units, attention=args.attention)
    history = translator.fit(pairs, args.epochs)
    print(f"loss {history.history['loss'][0]:.3f} -> {history.history['loss'][-1]:.3f} over {args.epochs} epochs")
    sources = [s for s, _ in held_out[:5]]
    for source, greedy, beam in zip(
        sources, translator.translate(sources), translator.translate(sources, beam_width=4)
    ):
        print(f"{source}\n  greedy: {greedy}\n  beam 4: {beam}")
    exact = np.mean(
        [a == t for a, (_, t) in zip(translator.translate([s for s, _ in held_out], beam_width=4), held_out)]
    )
    print(f"held-out exact matches (beam 4): {exact:.0%}")
    translator.export(args.export)
    served = tf.saved_model.load(args.export).signatures["translate"](sentences=tf.constant(sources))
    served = [t.decode() for t in served["output_0"].numpy()]
    print("from the SavedModel:", served[:2])
    return translator, exact, sources, served


if __name__ == "__main__":
    main()
