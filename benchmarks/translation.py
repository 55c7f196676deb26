"""Translation quality and decoding speed: ours against a plain Keras
translator of the TensorFlow tutorial's kind, same data, same batching,
same wall-clock budget, in one run.

Data: `../shared/data/multi30k/` English -> German, train split for
training, val split for BLEU. Both models see the same normalization
(lowercase, punctuation split off), the same 8,000-word vocabularies and the
same length-bucketed batches (padded only to each batch's longest sentence).

- ours: `build_translator` with the app's defaults (bidirectional GRU-256
  encoder of ours, `AttentionDecoder` with a GRU-512 cell, Bahdanau
  (additive) attention inside the recurrence, a bias in the attentional
  output, no input feeding), greedy and beam-5
  decoding (length penalty 0.6);
- peer: bidirectional `keras.layers.GRU(256)` encoder, `keras.layers.GRU(512)`
  decoder started from the encoder's final states,
  `keras.layers.AdditiveAttention` applied after the decoder, `Dense(tanh)`
  then `Dense(vocab)`; greedy decoding.

Training alternates between the two in chunks of `--chunk` seconds of
`train_on_batch`, so that the machine's noise falls on both alike; each
trains for `--budget` seconds of its own time. BLEU and chrF come from
sacreBLEU on the detokenized lowercase references.

    python benchmarks/translation.py --budget 1800     # the recorded run
    python benchmarks/translation.py --budget 120 --limit 2000   # a quick look
    python benchmarks/translation.py --budget 300 --models ours --set dropout=0.1   # explore a setting of ours
    python benchmarks/translation.py --budget 600 --models ours no_attention   # what attention buys
"""

import argparse
import gzip
import json
import math
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import sacrebleu  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import ops  # noqa: E402
from overrides import parse_overrides  # noqa: E402

from keras_seq.applications.translate import Translator, TranslatorConfig, build_translator  # noqa: E402
from keras_seq.applications.translate.data import BUCKETS, encode_pairs  # noqa: E402
from keras_seq.data import WordVocabulary, detokenize, normalize  # noqa: E402
from keras_seq.data.word_vocabulary import END_ID, START_ID  # noqa: E402
from keras_seq.decoding import greedy_search  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data", "multi30k")


def read(folder, split, lang):
    with gzip.open(os.path.join(folder, f"{split}.{lang}.gz"), "rt", encoding="utf-8") as f:
        return f.read().splitlines()


class PlainKerasTranslator:
    """The tutorial-style peer, with a greedy decoder over its own layers."""

    def __init__(self, config, seed):
        keras.utils.set_random_seed(seed)
        src = keras.Input((None,), dtype="int32")
        tgt = keras.Input((None,), dtype="int32")
        self.src_embedding = keras.layers.Embedding(config.src_vocab_size, config.embedding_dim, mask_zero=True)
        self.encoder = keras.layers.Bidirectional(
            keras.layers.GRU(config.encoder_units, return_sequences=True, return_state=True)
        )
        self.bridge = keras.layers.Dense(config.decoder_units, activation="tanh")
        self.tgt_embedding = keras.layers.Embedding(config.tgt_vocab_size, config.embedding_dim, mask_zero=True)
        self.decoder = keras.layers.GRU(config.decoder_units, return_sequences=True, return_state=True)
        self.key = keras.layers.Dense(config.decoder_units, use_bias=False)
        self.attention = keras.layers.AdditiveAttention()
        self.combine = keras.layers.Dense(config.decoder_units, activation="tanh")
        self.dropout = keras.layers.Dropout(config.dropout)
        self.project = keras.layers.Dense(config.tgt_vocab_size)
        memory, h0 = self.encode_graph(src)
        logits, _ = self.decode_graph(tgt, memory, src != 0, h0)
        self.model = keras.Model([src, tgt], logits)
        self.model.compile(
            optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.clipnorm),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
        )  # masked, as in the tutorial
        self._greedy = tf.function(self._greedy_ids, reduce_retracing=True)

    def encode_graph(self, src):
        memory, forward, backward = self.encoder(self.src_embedding(src))
        return memory, self.bridge(ops.concatenate([forward, backward], axis=-1))

    def decode_graph(self, tgt, memory, memory_mask, h0):
        y, h = self.decoder(self.tgt_embedding(tgt), initial_state=h0)  # (B, Tt, H)
        context = self.attention([y, memory, self.key(memory)], mask=[None, memory_mask])  # (B, Tt, 2U)
        out = self.combine(ops.concatenate([y, context], axis=-1))
        return self.project(self.dropout(out)), h

    def _greedy_ids(self, src, max_length):
        memory, h0 = self.encode_graph(src)
        mask = src != 0

        def step(tokens, state, constants):
            memory, mask = constants
            logits, h = self.decode_graph(tokens[:, None], memory, mask, state)
            return logits[:, 0], h

        start = ops.full((ops.shape(src)[0],), START_ID, dtype="int32")
        return greedy_search(step, h0, start, max_length, end_token=END_ID, constants=(memory, mask))[0]

    def translate(self, source_ids, max_length):
        return self._greedy(source_ids, tf.constant(max_length)).numpy()


def batches(src, tgt_in, tgt_out, batch_size, rng):
    """Length-bucketed, shuffled batches padded to their longest sentence
    (the same batches for both models)."""
    lengths = np.array([max(len(s), len(t)) for s, t in zip(src, tgt_out)])
    bucket_of = np.searchsorted(BUCKETS, lengths)
    while True:
        order = rng.permutation(len(src))
        groups = {}
        for i in order:
            groups.setdefault(bucket_of[i], []).append(i)
            if len(groups[bucket_of[i]]) == batch_size:
                rows = groups.pop(bucket_of[i])
                yield pad([src[r] for r in rows]), pad([tgt_in[r] for r in rows]), pad([tgt_out[r] for r in rows])


def pad(sequences):
    out = np.zeros((len(sequences), max(len(s) for s in sequences)), np.int32)
    for row, s in enumerate(sequences):
        out[row, : len(s)] = s
    return out


def bleu(hypotheses, references):
    return (
        round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 2),
        round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2),
    )


def train_alternating(models, streams, budget, chunk, learning_rate):
    """Train each model of `{name: model}` on its stream of batches for
    `budget` seconds of its own time, taking turns in chunks of `chunk`
    seconds, with a cosine learning rate from `learning_rate` down to a
    tenth over the budget. Returns `{name: steps}`."""
    clocks = {name: 0.0 for name in models}
    steps = {name: 0 for name in models}
    while any(clocks[n] < budget for n in models):
        for name, model in models.items():
            stop = min(clocks[name] + chunk, budget)
            losses = []
            while clocks[name] < stop:
                progress = clocks[name] / budget
                model.optimizer.learning_rate.assign(
                    learning_rate * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
                )
                s, ti, to = next(streams[name])
                begin = time.perf_counter()
                model.reset_metrics()
                losses.append(float(np.ravel(model.train_on_batch([s, ti], to))[0]))  # this batch's loss
                clocks[name] += time.perf_counter() - begin
                steps[name] += 1
            if losses:
                print(
                    f"  {name:>5}: {clocks[name]:6.0f} s, {steps[name]:6d} steps, mean loss of the chunk "
                    f"{np.mean(losses):.3f}",
                    flush=True,
                )
    return steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--budget", type=float, default=1800.0, help="training seconds per model")
    parser.add_argument("--chunk", type=float, default=60.0)
    parser.add_argument("--limit", type=int, default=None, help="use only this many training pairs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", default=None, help="also save ours here (Translator.save) for a later look")
    parser.add_argument(
        "--models",
        nargs="+",
        choices=["ours", "keras", "no_attention"],
        default=["ours", "keras"],
        help="train only some (for exploring settings; the recorded run trains both); no_attention is ours with "
        "--attention none",
    )
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="FIELD=VALUE",
        help="override fields of ours' TranslatorConfig (values read as JSON, else strings), e.g. dropout=0.1",
    )
    parser.add_argument("--val-limit", type=int, default=None, help="score only this many validation sentences")
    args = parser.parse_args()
    overrides = parse_overrides(args.set)

    sources = [normalize(s) for s in read(args.data, "train", "en")][: args.limit]
    targets = [normalize(t) for t in read(args.data, "train", "de")][: args.limit]
    val_sources_raw = read(args.data, "val", "en")[: args.val_limit]
    val_targets_raw = read(args.data, "val", "de")[: args.val_limit]
    source_vocab, target_vocab = WordVocabulary.build(sources, 8000), WordVocabulary.build(targets, 8000)
    config = TranslatorConfig(
        vocabulary="word", lowercase=True, max_vocab=8000, seed=args.seed
    )  # the word model this script compares
    config = config.replace(src_vocab_size=source_vocab.size, tgt_vocab_size=target_vocab.size)
    src, tgt_in, tgt_out = encode_pairs(sources, targets, source_vocab, target_vocab, config.max_length)
    ours_config = config.replace(**overrides)
    ours = build_translator(ours_config, source_vocab, target_vocab) if "ours" in args.models else None
    peer = PlainKerasTranslator(config, args.seed) if "keras" in args.models else None
    bare = (
        build_translator(ours_config.replace(attention="none"), source_vocab, target_vocab)
        if "no_attention" in args.models
        else None
    )
    models = {
        name: model
        for name, model in (("ours", ours), ("keras", peer and peer.model), ("no_attention", bare))
        if model is not None
    }
    print(
        f"{len(src)} training pairs, vocabularies {source_vocab.size}/{target_vocab.size}; parameters: "
        + ", ".join(f"{name} {model.count_params():,}" for name, model in models.items())
        + f"; budget {args.budget:.0f} s each; ours' overrides {overrides}",
        flush=True,
    )

    streams = {
        name: batches(src, tgt_in, tgt_out, config.batch_size, np.random.default_rng(args.seed)) for name in models
    }
    steps = train_alternating(models, streams, args.budget, args.chunk, config.learning_rate)

    references = [detokenize(normalize(t)) for t in val_targets_raw]
    results = {
        "budget_s": args.budget,
        "train_pairs": len(src),
        "val_pairs": len(references),
        "ours_overrides": overrides,
    }
    results.update({f"{name}_steps": count for name, count in steps.items()})
    translator = Translator(ours) if ours is not None else None
    if translator is not None and ours.optimizer.use_ema:  # the last weights too, for a paired comparison
        report_ours(results, translator, val_sources_raw, references, None, "ours_last")
    for model in models.values():  # what `fit` does when it ends (with EMA: the averaged weights)
        model.optimizer.finalize_variable_values(model.trainable_weights)
    if translator is not None:
        report_ours(results, translator, val_sources_raw, references, args.save)
    if bare is not None:
        report_ours(results, Translator(bare), val_sources_raw, references, None, "no_attention")
    if peer is not None:
        report_peer(results, peer, val_sources_raw, references, source_vocab, target_vocab, config)
    print("BLEU on Multi30k val: " + ", ".join(f"{k[:-5]} {v}" for k, v in results.items() if k.endswith("_bleu")))
    print(
        "decoding sentences/s: "
        + ", ".join(f"{k[:-16]} {v}" for k, v in results.items() if k.endswith("_sentences_per_s"))
    )
    print(json.dumps(results, ensure_ascii=False))


def report_ours(results, translator, val_sources_raw, references, save, prefix="ours"):
    if save:
        translator.save(save)
    for name, width in ((f"{prefix}_greedy", 1), (f"{prefix}_beam5", 5)):
        begin = time.perf_counter()
        hypotheses = translator.translate(val_sources_raw, beam_width=width)
        seconds = time.perf_counter() - begin
        results[f"{name}_bleu"], results[f"{name}_chrf"] = bleu(hypotheses, references)
        results[f"{name}_sentences_per_s"] = round(len(hypotheses) / seconds, 1)
        if name == f"{prefix}_beam5":
            results[f"{prefix}_examples"] = list(zip(val_sources_raw[:3], hypotheses[:3]))


def peer_translations(peer, sentences, source_vocab, target_vocab, max_length):
    """The peer's greedy translations of raw `sentences` (normalized and
    encoded as `Translator.encode_sources` does, decoded 256 at a time) and
    the seconds the decoding took."""
    ids = pad([source_vocab.encode(normalize(s), max_length) for s in sentences])
    begin = time.perf_counter()
    out = np.concatenate(
        [
            peer.translate(ids[i : i + 256, : max(1, int((ids[i : i + 256] != 0).sum(1).max()))], 2 * max_length)
            for i in range(0, len(ids), 256)
        ]
    )
    seconds = time.perf_counter() - begin
    return [detokenize(target_vocab.decode(row)) for row in out], seconds


def report_peer(results, peer, val_sources_raw, references, source_vocab, target_vocab, config):
    hypotheses, seconds = peer_translations(peer, val_sources_raw, source_vocab, target_vocab, config.max_length)
    results["keras_greedy_bleu"], results["keras_greedy_chrf"] = bleu(hypotheses, references)
    results["keras_greedy_sentences_per_s"] = round(len(hypotheses) / seconds, 1)


if __name__ == "__main__":
    main()
