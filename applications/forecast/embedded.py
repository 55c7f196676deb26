"""The forecaster's offline defaults: real series that ship inside
installed packages, read from their files (no download).

- `co2` (the default): weekly CO2 at Mauna Loa, March 1958 to December
  2001, 2,284 weeks (Keeling and Whorf; public domain), from statsmodels:
  a trend and a yearly season, which a model should forecast far better
  than repeating the last value.
- `sunspots`: yearly sunspot numbers, 1700-2008 (public domain), from
  statsmodels: an 11-year cycle of changing height.
- `sp500`: daily closes of the S&P 500 index, 1999-2018, 5,031 trading
  days, from the optional `arch` package (NCSA licence): the notes'
  stock prices, where no model is expected to beat the random walk.
"""

import csv
import gzip
import importlib.resources
import io

from keras_seq.errors import UserInputError

EMBEDDED = {
    # name -> (package, file inside it, what it is)
    "co2": ("statsmodels", "datasets/co2/co2.csv", "weekly CO2 at Mauna Loa, 1958-2001 (ppm; statsmodels)"),
    "sunspots": ("statsmodels", "datasets/sunspots/sunspots.csv", "yearly sunspot numbers, 1700-2008 (statsmodels)"),
    "sp500": ("arch", "data/sp500/sp500.csv.gz", "daily S&P 500 closes, 1999-2018 (arch)"),
}


def embedded_table(name):
    """`(csv_text, description)` of an embedded series, its time column
    first in ISO form and its value columns after it."""
    if name not in EMBEDDED:
        raise UserInputError(f"--data embedded:{name}: the embedded series are {', '.join(EMBEDDED)}")
    package, path, description = EMBEDDED[name]
    try:
        raw = importlib.resources.files(package).joinpath(path).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        raise UserInputError(
            f"the embedded series {name!r} ships with the {package} package: pip install {package}"
        ) from None
    text = (gzip.decompress(raw) if path.endswith(".gz") else raw).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if name == "co2":
        writer.writerow(["date", "co2"])
        writer.writerows([f"{d[:4]}-{d[4:6]}-{d[6:]}", value] for d, value in rows[1:])
    elif name == "sunspots":
        writer.writerow(["year", "sunspots"])
        writer.writerows([str(int(float(y))), value] for y, value in rows[1:])
    else:
        columns = rows[0]
        date, close = columns.index("Date"), columns.index("Adj Close")
        writer.writerow(["date", "close"])
        for row in rows[1:]:
            month, day, year = row[date].split("/")
            writer.writerow([f"{year}-{int(month):02d}-{int(day):02d}", row[close]])
    return out.getvalue(), f"embedded:{name}: {description}"
