"""Worker processes for the endpoint: queries under a time limit, a size limit, and no network.

Neither pyoxigraph nor rdflib can stop a running query, so a query runs in a worker
process the server can kill (DESIGN.md, "Pitfalls"): past the time limit the worker is
killed and replaced, and the client gets a clear error instead of a hung thread.

Each worker also closes the network to itself before it loads the graph. Both engines open
a connection for `SERVICE` by default; gapkb.sparql.lexing.guard refuses SERVICE by reading the
query, and on Linux a seccomp filter here makes the kernel refuse every socket but
Unix-domain ones (the worker's pipe to the server), so a query that slipped past the guard
still could not reach another host. Where seccomp is unavailable the server says so at
start-up and relies on the guard alone.

A worker's address space is capped too (RLIMIT_AS), so a query that builds a huge
intermediate result fails inside the worker instead of exhausting the machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import multiprocessing as mp
import os
import platform
import queue
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from gapkb.findings import GapkbError
from gapkb.sparql.engine import Engine
from gapkb.sparql.errors import QueryError
from gapkb.sparql.lexing import query_form
from gapkb.sparql.results import GRAPH_FORMATS, RESULT_FORMATS, answer_kind, serialize

START_TIMEOUT = 120.0  # seconds for a new worker to load the graph


class QueryTimeout(QueryError):
    """The query ran past the time limit; its worker was killed."""


class WorkerCrashed(QueryError):
    """The worker died while running the query (out of memory, most likely)."""


class Busy(QueryError):
    """Every worker stayed busy for as long as a query may run."""


@dataclass(frozen=True)
class Limits:
    """What one query may use: seconds, rows or triples in the answer, worker memory."""

    timeout: float = 10.0
    max_results: int = 100_000
    memory_bytes: int | None = 4 * 1024**3


# --- no network: a seccomp filter --------------------------------------------------------

# seccomp(2) with a classic BPF program over struct seccomp_data {int nr; u32 arch;
# u64 instruction_pointer; u64 args[6]}. Syscall numbers from the kernel's unistd tables.
_ARCH = {  # machine: (AUDIT_ARCH_*, __NR_socket, x32 ABI bit or 0)
    "x86_64": (0xC000003E, 41, 0x40000000),
    "aarch64": (0xC00000B7, 198, 0),
}
_NR_IO_URING_SETUP = 425  # io_uring can open sockets without socket(2); same on both
_AF_UNIX = 1
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW = 0x7FFF0000
_RET_EACCES = 0x00050000 | errno.EACCES
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_PR_SET_PDEATHSIG = 1


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _program(arch: int, nr_socket: int, x32_bit: int) -> list[tuple[int, int, int, int]]:
    """BPF: deny other ABIs, io_uring_setup, and socket() for any family but AF_UNIX."""
    # (code, jump if true, jump if false, k) with jumps as labels, resolved below: "next"
    # falls through; "allow" and "deny" are the two return instructions at the end.
    ops: list[tuple[int, str, str, int]] = [
        (_LD_W_ABS, "next", "next", 4),  # A = arch
        (_JEQ_K, "next", "deny", arch),
        (_LD_W_ABS, "next", "next", 0),  # A = syscall number
    ]
    if x32_bit:
        ops.append((_JGE_K, "deny", "next", x32_bit))
    ops += [
        (_JEQ_K, "deny", "next", _NR_IO_URING_SETUP),
        (_JEQ_K, "next", "allow", nr_socket),
        (_LD_W_ABS, "next", "next", 16),  # A = args[0] (low half): the address family
        (_JEQ_K, "allow", "deny", _AF_UNIX),
    ]
    target = {"allow": len(ops), "deny": len(ops) + 1}

    def jump(label: str, at: int) -> int:
        return 0 if label == "next" else target[label] - at - 1

    program = [(code, jump(jt, i), jump(jf, i), k) for i, (code, jt, jf, k) in enumerate(ops)]
    return [*program, (_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, _RET_EACCES)]


def deny_network() -> str | None:
    """Forbid this process (and its threads) any socket but AF_UNIX; None, or why not."""
    if sys.platform != "linux":
        return f"no seccomp on {sys.platform}"
    machine = platform.machine()
    if machine not in _ARCH:
        return f"no seccomp filter written for {machine}"
    instructions = _program(*_ARCH[machine])
    array = (_SockFilter * len(instructions))(*(_SockFilter(*i) for i in instructions))
    program = _SockFprog(len(instructions), array)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: {errno.errorcode.get(ctypes.get_errno())}"
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        return f"seccomp filter refused: {errno.errorcode.get(ctypes.get_errno())}"
    return None


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this worker when the server dies (Linux), even mid-query.

    A worker busy in a query does not notice its pipe closing; without this, killing the
    server would leave the query running on, orphaned. The kernel counts the *thread* that
    started the worker as its parent (prctl(2), PR_SET_PDEATHSIG): workers must be started
    by a thread that outlives them (WorkerPool's launcher), or they die with it."""
    if sys.platform != "linux":
        return
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the server died before the line above
        os._exit(1)


# --- the worker process --------------------------------------------------------------------


def _limit_memory(limit: int | None) -> None:
    if limit is None:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def worker_main(conn: Connection, limits: Limits, parent_pid: int) -> None:
    """A worker: close the network, load the graph, then answer (text, format) requests."""
    die_with_parent(parent_pid)
    refused = deny_network()
    _limit_memory(limits.memory_bytes)
    engine = Engine(conn.recv_bytes())
    conn.send(("ready", refused, len(engine)))
    formats = {f.name: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        text, format_name = request
        try:
            answer = engine.run(text, max_results=limits.max_results)
            fmt = formats[format_name]
            if fmt.kind != answer_kind(answer):  # the lexical guess was wrong: use the default
                fmt = (RESULT_FORMATS if answer_kind(answer) == "results" else GRAPH_FORMATS)[0]
            conn.send(("ok", fmt.media_type, serialize(answer, fmt)))
        except QueryError as error:
            conn.send(("error", error))
        except MemoryError:
            conn.send(("error", WorkerCrashed("the query needed more memory than a worker has")))


# --- the pool ------------------------------------------------------------------------------


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


class WorkerPool:
    """`size` worker processes over one graph; `run` sends a query to an idle one."""

    def __init__(self, ntriples: bytes, limits: Limits | None = None, size: int = 2) -> None:
        self.limits = limits or Limits()
        self._data = ntriples
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._context = mp.get_context("spawn")  # no fork of a threaded server
        self._closed = False
        self.notes: list[str] = []
        self.triples = 0
        # Every worker is started by this one long-lived thread: a worker dies with the thread
        # that started it (die_with_parent), so not by a short-lived one.
        self._launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gapkb-launcher")
        try:
            for _ in range(size):
                self._idle.put(self._launcher.submit(self._start).result())
        except BaseException:
            self.close()
            raise

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=worker_main,
            args=(child, self.limits, os.getpid()),
            daemon=True,
            name="gapkb-query",
        )
        process.start()
        child.close()
        try:
            parent.send_bytes(self._data)
            if not parent.poll(START_TIMEOUT):
                process.kill()
                raise GapkbError("a query worker did not start within two minutes")
            _, refused, triples = parent.recv()
        except (EOFError, OSError):
            process.kill()
            raise GapkbError("a query worker failed to start (see the error above)") from None
        self.triples = triples
        if refused and not self.notes:
            self.notes.append(
                f"network sandbox unavailable ({refused}): SERVICE is refused by the query "
                "guard only"
            )
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background (capacity returns when ready)."""
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

        def start() -> None:
            if self._closed:
                return
            try:
                self._idle.put(self._start())
            except GapkbError as error:
                print(f"gapkb serve: {error}", file=sys.stderr)

        with contextlib.suppress(RuntimeError):  # the pool was closed meanwhile
            self._launcher.submit(start)

    def run(self, text: str, format_name: str) -> tuple[str, bytes]:
        """(media type, body) of the answer; QueryError subclasses for every failure."""
        try:
            worker = self._idle.get(timeout=self.limits.timeout)
        except queue.Empty:
            raise Busy(
                f"all query workers stayed busy for {self.limits.timeout:g} s — try again"
            ) from None
        try:
            worker.conn.send((text, format_name))
            if not worker.conn.poll(self.limits.timeout):
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than {self.limits.timeout:g} s, the limit, and was "
                    "stopped — add a LIMIT or narrow the patterns"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerCrashed(
                "the query stopped its worker (it needed more memory than a worker has) — "
                "narrow the patterns"
            ) from None
        self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1], reply[2]
        error = reply[1]
        raise error if isinstance(error, QueryError) else QueryError(str(error))

    def close(self) -> None:
        self._closed = True
        self._launcher.shutdown(wait=False, cancel_futures=True)
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
            worker.conn.close()


def expected_kind(text: str) -> str:
    """'graph' for CONSTRUCT and DESCRIBE, else 'results': what to negotiate before running."""
    return "graph" if query_form(text) in ("CONSTRUCT", "DESCRIBE") else "results"
