"""Ready-made applications built only from keras_seq layers.

Installed as `keras_seq.applications` (see pyproject.toml), e.g.
`from keras_seq.applications.char_lm import build_char_lm`.
"""
