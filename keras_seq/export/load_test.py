"""Calling an exported signature from many threads at once, as a server does."""

import concurrent.futures
import resource
import statistics
import threading
import time


def _rss_mb():
    """The process's resident memory now, in MB (`/proc/self/status` on
    Linux; elsewhere the peak so far, from `getrusage`)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_test(call, requests, threads=8, seconds=30.0):
    """Call `call(request)` for each of `requests`, round and round, from
    `threads` threads for `seconds`, and check each answer against the one
    a single call gave.

    Args:
        call: a function of one request returning something comparable
            with `==` (decode tensors to Python values inside it).
        requests: the requests, each answered once alone first.
        threads: int > 0, the callers at once.
        seconds: float > 0, how long they call.

    Returns:
        A dict: `requests_per_s`, latency percentiles in ms (`p50_ms`,
        `p90_ms`, `p99_ms`) of the threaded calls, `single_ms` (the median
        of the first, one-at-a-time answers), `calls`, `mismatches` (answers
        unlike the single call's), `errors` (with the first message in
        `first_error`), and `rss_mb_before`/`rss_mb_after` (resident memory
        before and after the threaded calls).
    """
    requests = list(requests)
    if not requests:
        raise ValueError("load_test needs at least one request")
    alone, single = [], []
    for request in requests:
        began = time.perf_counter()
        alone.append(call(request))
        single.append(time.perf_counter() - began)
    before = _rss_mb()
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, counts = [], {"calls": 0, "mismatches": 0, "errors": 0}
    first_error = []

    def caller(offset):
        k = offset
        while time.monotonic() < stop:
            index = k % len(requests)
            k += 1
            began = time.perf_counter()
            try:
                answer = call(requests[index])
            except Exception as error:  # noqa: BLE001 (counted and reported, not raised: a load test goes on)
                with lock:
                    counts["errors"] += 1
                    first_error.append(f"{type(error).__name__}: {error}")
                continue
            spent = time.perf_counter() - began
            with lock:
                counts["calls"] += 1
                counts["mismatches"] += answer != alone[index]
                latencies.append(spent)

    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(caller, range(threads)))
    wall = time.monotonic() - began
    ordered = sorted(latencies) or [float("nan")]

    def percentile(q):
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "threads": threads,
        "seconds": round(wall, 2),
        "calls": counts["calls"],
        "requests_per_s": round(counts["calls"] / wall, 2),
        "p50_ms": round(percentile(0.5), 2),
        "p90_ms": round(percentile(0.9), 2),
        "p99_ms": round(percentile(0.99), 2),
        "single_ms": round(1000 * statistics.median(single), 2),
        "mismatches": counts["mismatches"],
        "errors": counts["errors"],
        "first_error": first_error[0] if first_error else None,
        "rss_mb_before": round(before, 1),
        "rss_mb_after": round(_rss_mb(), 1),
    }
