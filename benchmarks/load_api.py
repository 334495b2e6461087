"""Load check of the HTTP API's match path (not a test): requests per second and errors.

Run:  python benchmarks/load_api.py [--seconds 10] [--concurrency 32] [--workers 1]

1. loads the bundled Huinong data into a temporary embedded store and creates a district
   token in a temporary token file;
2. starts ``orglink serve`` (uvicorn) on 127.0.0.1 on a free port, in its own process;
3. from a second process, fires ``GET /api/v1/needs/{id}/matches?top=5`` for the Huinong
   needs, round robin, from ``--concurrency`` concurrent httpx clients (asyncio) for
   ``--seconds`` seconds, after a short warm-up;
4. prints requests/s, error count (any status other than 200, or a transport error), latency
   percentiles, and the server's CPU time per request.

Goal: ≥ 500 match requests/s on 2 cores with 0 errors (embedded backend).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(tmp: Path) -> tuple[Path, Path, str, list[str]]:
    """Huinong in a fresh store, a district token; return (store, token file, token, need ids)."""
    from orglink import queries
    from orglink.auth import TokenFile
    from orglink.data import HUINONG
    from orglink.graph.embedded import EmbeddedStore
    from orglink.loaders.build import load_dataset

    store_dir, token_path = tmp / "store", tmp / "tokens.json"
    store = EmbeddedStore(store_dir)
    load_dataset(HUINONG, store)
    [page] = queries.list_needs(store, status=None, community=None, category=None, street_ids=None,
                                community_ids=None, escalated_only=False, skip=0, limit=100_000)
    need_ids = [n["id"] for n in page["items"]]
    store.close()
    token, _ = TokenFile(token_path).create("district", None, "load-check")
    return store_dir, token_path, token, need_ids


def start_server(store_dir: Path, token_path: Path, port: int, workers: int) -> subprocess.Popen:
    """``orglink serve`` in its own process group (``workers`` > 1: uvicorn worker processes)."""
    env = {**os.environ, "ORGLINK_BACKEND": "embedded"}
    if workers == 1:
        cmd = [sys.executable, "-c", "from orglink.cli import main; main()", "serve",
               "--host", "127.0.0.1", "--port", str(port), "--store", str(store_dir),
               "--tokens", str(token_path), "--log-level", "warning"]
    else:  # the same app through uvicorn's factory mode, so each worker builds its own
        env |= {"ORGLINK_STORE": str(store_dir), "ORGLINK_TOKENS": str(token_path)}
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "orglink.api.app:app_from_env",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll /api/v1/health until it answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


async def _fire(base: str, token: str, need_ids: list[str], seconds: float, concurrency: int,
                warmup: float) -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    counter = {"i": 0}
    lat: list[float] = []
    errors: dict[str, int] = {}
    done = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:
        async def worker(stop: float, record: bool) -> None:
            nonlocal done
            while time.perf_counter() < stop:
                nid = need_ids[counter["i"] % len(need_ids)]
                counter["i"] += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(f"/api/v1/needs/{nid}/matches", params={"top": 5})
                    ok, why = r.status_code == 200, str(r.status_code)
                except httpx.HTTPError as exc:
                    ok, why = False, type(exc).__name__
                if not record:
                    continue
                lat.append(time.perf_counter() - t0)
                done += 1
                if not ok:
                    errors[why] = errors.get(why, 0) + 1

        stop = time.perf_counter() + warmup
        await asyncio.gather(*(worker(stop, False) for _ in range(concurrency)))
        start = time.perf_counter()
        await asyncio.gather(*(worker(start + seconds, True) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return _summary(done, elapsed, lat, errors)


async def _fire_raw(host: str, port: int, token: str, need_ids: list[str], seconds: float,
                    concurrency: int, warmup: float) -> dict:
    """Like :func:`_fire` with a minimal keep-alive HTTP/1.1 client on asyncio streams, so the
    load generator spends far less CPU per request than httpx and the server is what is measured."""
    counter = {"i": 0}
    lat: list[float] = []
    errors: dict[str, int] = {}
    done = 0

    async def worker(stop: float, record: bool) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < stop:
                nid = need_ids[counter["i"] % len(need_ids)]
                counter["i"] += 1
                t0 = time.perf_counter()
                writer.write(f"GET /api/v1/needs/{nid}/matches?top=5 HTTP/1.1\r\nHost: {host}\r\n"
                             f"Authorization: Bearer {token}\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                status = head[9:12].decode()
                length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                await reader.readexactly(length)
                if not record:
                    continue
                lat.append(time.perf_counter() - t0)
                done += 1
                if status != "200":
                    errors[status] = errors.get(status, 0) + 1
        except (OSError, asyncio.IncompleteReadError, StopIteration) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
        finally:
            writer.close()

    stop = time.perf_counter() + warmup
    await asyncio.gather(*(worker(stop, False) for _ in range(concurrency)))
    start = time.perf_counter()
    await asyncio.gather(*(worker(start + seconds, True) for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    return _summary(done, elapsed, lat, errors)


def _summary(done: int, elapsed: float, lat: list[float], errors: dict[str, int]) -> dict:
    lat.sort()
    return {"requests": done, "seconds": round(elapsed, 2), "rps": round(done / elapsed, 1),
            "errors": sum(errors.values()), "error_kinds": errors,
            "p50_ms": round(1000 * statistics.median(lat), 2) if lat else None,
            "p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 2) if lat else None,
            "p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 2) if lat else None}


def client_main(args: argparse.Namespace) -> None:
    """The load generator (second process): print one JSON line of results."""
    need_ids = json.loads(Path(args.client).read_text(encoding="utf-8"))
    if args.client_lib == "httpx":
        result = asyncio.run(_fire(args.base, args.token, need_ids, args.seconds, args.concurrency,
                                   args.warmup))
    else:
        host, port = args.base.removeprefix("http://").split(":")
        result = asyncio.run(_fire_raw(host, int(port), args.token, need_ids, args.seconds,
                                       args.concurrency, args.warmup))
    ru = resource.getrusage(resource.RUSAGE_SELF)
    result["client_cpu_s"] = round(ru.ru_utime + ru.ru_stime, 1)
    print(json.dumps(result))


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its children so far (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
        pids += [int(p) for p in out.stdout.split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def main() -> None:
    """Prepare, serve, fire, report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--client-lib", choices=("raw", "httpx"), default="raw",
                    help="load generator: minimal asyncio HTTP/1.1 client (default) or httpx")
    ap.add_argument("--client", help=argparse.SUPPRESS)  # internal: run as the load generator
    ap.add_argument("--base", help=argparse.SUPPRESS)
    ap.add_argument("--token", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:
        client_main(args)
        return
    with tempfile.TemporaryDirectory(prefix="orglink-load-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        store_dir, token_path, token, need_ids = prepare(tmp)
        print(f"prepared Huinong store and token in {time.perf_counter() - t0:.1f} s; "
              f"{len(need_ids)} needs", flush=True)
        ids_file = tmp / "needs.json"
        ids_file.write_text(json.dumps(need_ids), encoding="utf-8")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(store_dir, token_path, port, args.workers)
        try:
            wait_ready(base, server)
            cpu0 = proc_cpu_seconds(server.pid)
            out = subprocess.run(
                [sys.executable, __file__, "--client", str(ids_file), "--base", base, "--token", token,
                 "--seconds", str(args.seconds), "--warmup", str(args.warmup),
                 "--concurrency", str(args.concurrency), "--client-lib", args.client_lib],
                capture_output=True, text=True, check=False)
            cpu1 = proc_cpu_seconds(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if out.returncode != 0:
            raise SystemExit(f"load generator failed:\n{out.stderr}")
        res = json.loads(out.stdout.strip().splitlines()[-1])
        total = res["requests"] + 0  # warm-up requests are not counted but used CPU too
        print(f"cores: {os.cpu_count()}  server workers: {args.workers}  concurrency: {args.concurrency}"
              f"  load generator: {args.client_lib}")
        print(f"match requests: {res['requests']} in {res['seconds']} s  ->  {res['rps']} requests/s")
        print(f"errors: {res['errors']} {res['error_kinds'] or ''}")
        print(f"load generator CPU: {res['client_cpu_s']} s (warm-up included)")
        print(f"latency ms: p50 {res['p50_ms']}  p95 {res['p95_ms']}  p99 {res['p99_ms']}")
        if total:
            print(f"server CPU: {cpu1 - cpu0:.1f} s (warm-up included), "
                  f"≈ {1000 * (cpu1 - cpu0) / total:.2f} ms per counted request")
        goal = res["rps"] >= 500 and res["errors"] == 0
        print("goal (≥ 500 requests/s, 0 errors):", "met" if goal else "NOT met")


if __name__ == "__main__":
    main()
