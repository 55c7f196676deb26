import datetime
import warnings

import numpy as np
import pytest

from keras_seq.applications.forecast import ForecasterConfig, read_source, split_parts
from keras_seq.applications.forecast.data import calendar_features, future_times, parse_table
from keras_seq.errors import UserInputError
from tests.applications.forecast.conftest import hourly_rows

CONFIG = ForecasterConfig()


def table(lines, config=CONFIG):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        series = parse_table("\n".join(lines) + "\n", config, "t.csv")
    return series, [str(w.message) for w in caught]


def test_reads_the_time_column_and_the_numeric_columns(hourly_csv):
    series = read_source(str(hourly_csv), CONFIG)
    assert series.columns == ["load", "temperature"] and series.targets == 2 and series.step == "1h"
    assert series.values[0].shape == (900, 2) and series.times[0][1] == datetime.datetime(2024, 1, 1, 1)


def test_unsorted_rows_are_sorted_and_duplicates_refused():
    series, notes = table(["date,x", "2024-01-03,3", "2024-01-01,1", "2024-01-02,2"])
    np.testing.assert_array_equal(series.values[0][:, 0], [1, 2, 3])
    assert any("sorted" in n for n in notes)
    with pytest.raises(UserInputError, match="appears twice"):
        table(["date,x", "2024-01-01,1", "2024-01-01,2", "2024-01-02,3"])


def test_missing_values_and_steps_are_filled_with_a_count_or_refused():
    lines = ["date,x,y", "2024-01-01,1,5", "2024-01-02,,6", "2024-01-04,4,8"]  # one gap, one missing step
    series, notes = table(lines)
    np.testing.assert_allclose(series.values[0], [[1, 5], [2, 6], [3, 7], [4, 8]])
    assert any("1 missing step" in n for n in notes) and any("3 missing value(s) filled" in n for n in notes)
    with pytest.raises(UserInputError, match="missing value"):
        table(lines, ForecasterConfig(fill=False))


def test_irregular_gaps_are_refused():
    with pytest.raises(UserInputError, match="irregular gaps"):
        table(["time,x", "2024-01-01 00:00,1", "2024-01-01 01:00,2", "2024-01-01 02:30,3"])


@pytest.mark.parametrize(
    "lines,match",
    [
        (["date,x", "2024-01-01,1", "2024-01-02,abc"], "not a number"),
        (["date,x", "2024-01-01,1", "2024-01-02,inf"], "finite"),
        (["date,x", "2024-01-01,1", "2024-01-02,2,3"], "3 columns"),
        (["date,x"], "no rows"),
        (["date,x", "yesterday,1", "today,2"], "not a date"),
        (["date,name", "2024-01-01,a", "2024-01-02,b"], "no numeric column"),
    ],
)
def test_bad_tables(lines, match):
    with pytest.raises(UserInputError, match=match):
        table(lines)


def test_named_columns_must_exist_and_be_numbers():
    with pytest.raises(UserInputError, match="no column 'z'"):
        table(["date,x", "2024-01-01,1", "2024-01-02,2"], ForecasterConfig(target=["z"]))
    with pytest.raises(UserInputError, match="holds no numbers"):
        table(["date,x,n", "2024-01-01,1,a", "2024-01-02,2,b"], ForecasterConfig(target=["n"]))


def test_steps_business_days_and_months():
    days = [datetime.date(2024, 1, 1) + datetime.timedelta(d) for d in range(40)]
    weekdays = [d for d in days if d.weekday() < 5]
    series, _ = table(["date,p"] + [f"{d},{i}" for i, d in enumerate(weekdays)])
    assert series.step == "1b" and len(series.values[0]) == len(weekdays)  # weekends are not gaps
    assert future_times(datetime.datetime(2024, 1, 5), "1b", 2) == [
        datetime.datetime(2024, 1, 8),
        datetime.datetime(2024, 1, 9),
    ]
    months, _ = table(["month,sales"] + [f"{2020 + m // 12}-{m % 12 + 1:02d}-01,{m}" for m in range(30)])
    assert months.step == "1mo"
    assert future_times(datetime.datetime(2024, 12, 1), "1mo", 2)[-1] == datetime.datetime(2025, 2, 1)


def test_calendar_features_are_future_columns():
    times, values = hourly_rows(72)
    lines = ["time,load,temperature"] + [f"{t.isoformat()},{a},{b}" for t, (a, b) in zip(times, values)]
    series, _ = table(lines, ForecasterConfig(calendar=True, past_covariates=["temperature"]))
    assert series.columns[:2] == ["load", "temperature"] and series.targets == 1
    assert series.columns[2:] == ["hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "month_sin", "month_cos"]
    assert series.futures == 6
    np.testing.assert_allclose(calendar_features(times[:1], "1h")[0, :2], [0.0, 1.0], atol=1e-12)  # midnight


def test_many_series_in_one_long_file():
    lines = ["date,shop,sales"] + [f"2024-01-{d:02d},{s},{d * (1 + (s == 'b'))}" for s in "ab" for d in range(1, 21)]
    series, _ = table(lines, ForecasterConfig(series_column="shop"))
    assert series.names == ["a", "b"] and [len(v) for v in series.values] == [20, 20]
    assert series.values[1][-1, 0] == 40


def test_chronological_splits():
    series = read_source("embedded", CONFIG)
    train, validation, test = split_parts(series, CONFIG)
    length = len(series.values[0])
    assert train.parts[0][0] == 0 and train.parts[0][1] == validation.parts[0][0]
    assert validation.parts[0][1] == test.parts[0][0] and test.parts[0][1] == length
    assert test.parts[0][1] - test.parts[0][0] == round(0.2 * length)
    times, values = hourly_rows(24 * 30 * 21)
    hourly = parse_table("t,x\n" + "\n".join(f"{t.isoformat()},{v}" for t, v in zip(times, values[:, 0])), CONFIG, "h")
    parts = [p.parts[0] for p in split_parts(hourly, CONFIG.replace(protocol="ett"))]
    assert parts == [(0, 8640), (8640, 11520), (11520, 14400)]  # 12 / 4 / 4 months of 30 days
    at = split_parts(hourly, CONFIG.replace(split_at="2024-01-02,2024-01-03"))
    assert [p.parts[0] for p in at] == [(0, 24), (24, 48), (48, len(times))]


def test_windows_of_a_part_count_every_window():
    series = read_source("embedded", CONFIG)
    _, _, test = split_parts(series, CONFIG)
    history, truth, _, _, starts = test.windows(48, 12)
    first, last = test.parts[0]
    assert len(history) == last - first - 12 + 1  # stride 1, none dropped
    assert starts[0] == first - 48  # the first lookback reads the end of validation
    np.testing.assert_array_equal(truth[-1], series.values[0][last - 12 : last, :1])
