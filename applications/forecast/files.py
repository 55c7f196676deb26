"""Forecasts written as CSV or JSON."""

import csv
import json

from keras_seq.errors import UserInputError
from keras_seq.export import atomic_file


def write_forecasts(results, path):
    """Write `Forecaster.predict_next`'s results to `path`: `.json` as they
    are, `.csv` one row per series and step (`series`, `time`, the
    columns, and `lower_*`/`upper_*` for intervals)."""
    if path.endswith(".json"):
        with atomic_file(path) as tmp, open(tmp, "w", encoding="utf-8") as file:
            json.dump({"forecasts": results}, file, indent=1)
        return path
    if not path.endswith(".csv"):
        raise UserInputError(f"--output writes a .csv or .json file; got {path}")
    with atomic_file(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        columns = results[0]["columns"]
        bounds = "lower" in results[0]
        header = ["series", "time"] + columns
        if bounds:
            header += [f"lower_{c}" for c in columns] + [f"upper_{c}" for c in columns]
        writer.writerow(header)
        for item in results:
            for k, time in enumerate(item["times"]):
                row = [item["series"], time] + item["forecast"][k]
                if bounds:
                    row += item["lower"][k] + item["upper"][k]
                writer.writerow(row)
    return path
