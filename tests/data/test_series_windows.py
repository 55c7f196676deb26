import numpy as np

from keras_seq.data.series_windows import sliding_windows, window_starts


def test_every_window_counted_and_lookbacks_reach_into_the_part_before():
    assert list(window_starts(10, 4, 2)) == [0, 1, 2, 3, 4]
    starts = window_starts(20, 4, 2, first_target=12, last_target=16)  # targets 12..15
    assert list(starts) == [8, 9, 10]  # the first reads rows 8..11, before the part
    assert len(window_starts(5, 4, 2)) == 0


def test_windows_are_the_rows_they_name():
    series = np.arange(30.0).reshape(15, 2)
    x, y = sliding_windows(series, [3], 4, 2)
    np.testing.assert_array_equal(x[0], series[3:7])
    np.testing.assert_array_equal(y[0], series[7:9])
