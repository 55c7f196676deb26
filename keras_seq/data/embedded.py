"""Texts that ship with Python itself, so that demos need no download."""


def pydoc_topics_text(max_chars=None):
    """The help topics of the Python documentation, as one string.

    `pydoc_data.topics` is part of the standard library (it backs
    `help("topics")`): about 800 KB of English prose and code examples from
    the Python language reference, available offline on every install.

    Args:
        max_chars: int or None. Keep only the first `max_chars` characters.

    Returns:
        str: the topics joined by blank lines, in a stable (sorted) order.
    """
    from pydoc_data import topics

    text = "\n\n".join(topics.topics[key].strip() for key in sorted(topics.topics))
    return text if max_chars is None else text[:max_chars]
