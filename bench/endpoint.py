"""Measures the endpoint: p50/p99 latency and throughput at 1, 8 and 32 clients from a separate load process."""

from __future__ import annotations

import http.client
import math
import threading
import time
import urllib.parse
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.corpus import REPO
from bench.harness import AS_OF, CLIENTS, SPAWN, stop
from bench.queries import _queries


def serve(nt_path: Path, conn: Connection) -> None:
    """In a child: the endpoint over the graph (gapkb serve's pool and server) on a free port."""
    from gapkb.sparql.sandbox import Limits, WorkerPool
    from gapkb.sparql.serve import examples_bytes, make_server

    pool = WorkerPool(nt_path.read_bytes(), Limits(timeout=60.0), size=2)
    server = make_server(pool, AS_OF, examples_bytes(REPO, AS_OF), port=0, log=False)
    conn.send(server.server_address[1])
    try:
        server.serve_forever()
    finally:
        pool.close()


def load_clients(
    port: int, texts: list[str], clients: int, per_client: int, conn: Connection
) -> None:
    """In a separate load process: `clients` threads, each on its own keep-alive connection."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for i in range(per_client):
            text = texts[(index + i) % len(texts)]
            body = urllib.parse.urlencode({"query": text})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            }
            start = time.perf_counter()
            try:
                connection.request("POST", "/sparql", body, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = 0
                errors.append(type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != 200 and status:
                    errors.append(str(status))
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conn.send((latencies, errors, time.perf_counter() - start))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def step_endpoint(nt_path: Path, requests: int, cap: float) -> dict[str, Any]:
    texts = list(_queries().values())
    parent, child = SPAWN.Pipe()
    server = SPAWN.Process(target=serve, args=(nt_path, child))  # not daemonic: it has workers
    server.start()
    out: dict[str, Any] = {}
    try:
        if not parent.poll(cap):
            return {"error": f"the server did not start within {cap:.0f} s"}
        port = parent.recv()
        for clients in CLIENTS:
            per_client = max(2, math.ceil(requests / clients))
            p_conn, c_conn = SPAWN.Pipe()
            load = SPAWN.Process(
                target=load_clients, args=(port, texts, clients, per_client, c_conn)
            )
            load.start()
            if not p_conn.poll(cap):
                load.kill()
                out[str(clients)] = {"error": f"timed out after {cap:.0f} s"}
                load.join()
                continue
            latencies, errors, wall = p_conn.recv()
            load.join()
            out[str(clients)] = {
                "p50": percentile(latencies, 0.5),
                "p99": percentile(latencies, 0.99),
                "requests": len(latencies),
                "errors": errors,
                "throughput": len(latencies) / wall,
            }
    finally:
        stop(server)
    return out
