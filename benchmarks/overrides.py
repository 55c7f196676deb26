"""`--set FIELD=VALUE` for the benchmarks that explore settings of ours."""

import json


def parse_overrides(items):
    """`{"field": value}` from `["field=value", ...]`; values are read as
    JSON (numbers, true/false, null), else kept as strings."""
    overrides = {}
    for item in items:
        field, _, value = item.partition("=")
        try:
            overrides[field] = json.loads(value)
        except json.JSONDecodeError:
            overrides[field] = value
    return overrides
