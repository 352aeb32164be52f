"""What every measurement shares: the work folder, timing a step beside its baseline, peak memory, and running a step in a child process under a cap."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing as mp
import os
import resource
import signal
import statistics
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bench.corpus import REPO

WORK = REPO / "build" / "bench"
AS_OF = dt.date(2026, 6, 1)  # fixed: the gap share and the answers do not move with the calendar
CLIENTS = (1, 8, 32)
SPAWN = mp.get_context("spawn")  # a fresh interpreter per step: no state or memory carried over


T = TypeVar("T")


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The median of `repeat` timed runs, with what that run returned."""
    runs = sorted((timed(fn) for _ in range(repeat)), key=lambda run: run[0])
    return runs[len(runs) // 2]


class Paired(NamedTuple):
    ours: float
    base: float
    peak: float
    value: Any  # what our step returned on its first run
    base_value: Any


def paired(ours: Callable[[], object], base: Callable[[], object], repeat: int) -> Paired:
    """Medians of ours and the baseline, run in turn so that a change in the machine's load
    weighs on both; and the peak memory after our first run, before any baseline ran."""
    first, value = timed(ours)
    ours_times, base_times = [first], []
    peak = peak_mb()
    base_value = None
    for i in range(2 * repeat - 1):
        if i % 2 == 0:
            seconds, base_value = timed(base)
            base_times.append(seconds)
        else:
            ours_times.append(timed(ours)[0])
    return Paired(
        statistics.median(ours_times), statistics.median(base_times), peak, value, base_value
    )


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """Peak resident memory of the largest waited-for child (HermiT's Java, mkdocs)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def descendants(pid: int) -> list[int]:
    """Ids of the processes below `pid` (Linux /proc), deepest last."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def stop(process: BaseProcess) -> None:
    """Kill a step's process and what it started (Java, engine workers), each by its id."""
    if process.pid is not None:
        for pid in [process.pid, *descendants(process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    process.join()


def _child(fn: Callable[..., dict[str, Any]], args: tuple[Any, ...], conn: Connection) -> None:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the bare build's notes are not ours
    try:
        conn.send(("ok", fn(*args)))
    except Exception as error:
        conn.send(("error", f"{type(error).__name__}: {error}"[:300]))


def _streaming_child(fn: Callable[..., None], args: tuple[Any, ...], conn: Connection) -> None:
    try:
        fn(*args, lambda name, value: conn.send((name, value)))
        conn.send(("done", {}))
    except Exception as error:
        conn.send(("error", {"error": f"{type(error).__name__}: {error}"[:300]}))


def capped_steps(
    fn: Callable[..., None], names: tuple[str, ...], *args: Any, cap: float
) -> dict[str, dict[str, Any]]:
    """Run `fn(*args, send)` in a fresh child that sends one result per step; the step under
    way when the child fails or runs past `cap` s gets the error, later ones are not run."""
    parent, child = SPAWN.Pipe()
    process = SPAWN.Process(target=_streaming_child, args=(fn, args, child))
    deadline = time.perf_counter() + cap
    process.start()
    child.close()
    out: dict[str, dict[str, Any]] = {}
    try:
        for name in names:
            if not parent.poll(max(0.0, deadline - time.perf_counter())):
                out[name] = {"error": f"timed out: the cap of {cap:.0f} s was reached"}
                break
            got, value = parent.recv()
            if got == "error":
                out[name] = value
                break
            out[got] = value
    except EOFError:
        out[name] = {"error": f"the process died (exit code {process.exitcode})"}
    finally:
        stop(process)
    for name in names:
        out.setdefault(name, {"error": "not run: an earlier step did not finish"})
    return out


def capped(fn: Callable[..., dict[str, Any]], *args: Any, cap: float) -> dict[str, Any]:
    """Run `fn(*args)` in a fresh child; {'error': ...} if it fails or runs past `cap` s."""
    parent, child = SPAWN.Pipe()
    process = SPAWN.Process(target=_child, args=(fn, args, child))
    start = time.perf_counter()
    process.start()
    child.close()
    try:
        if not parent.poll(cap):
            return {"error": f"timed out after {cap:.0f} s"}
        status, value = parent.recv()
    except EOFError:
        return {"error": f"the process died (exit code {process.exitcode})"}
    finally:
        stop(process)
    if status == "error":
        return {"error": value}
    value["wall"] = time.perf_counter() - start
    return dict(value)
