"""Caps on what one decoding call may ask for: a `(batch * beam, length)`
buffer is allocated up front, so an unbounded beam width or length would
run out of memory instead of failing clearly. Plain numbers, importable
without Keras (the applications' configs check them)."""

MAX_BEAM_WIDTH = 64
MAX_DECODE_LENGTH = 1024
