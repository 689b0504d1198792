"""Benchmark: the web app under 20 concurrent clients without think time for 30 s.

Run: ``.venv/bin/python bench/web.py [--clients 20] [--seconds 30]``.

Loads the demo park De Wieken (illustrative, about 150 companies) into a fresh SQLite
database in a temporary folder, adds a park manager, starts ``parkplan serve`` (uvicorn, one
process) on 127.0.0.1 in a subprocess and drives it from this process with one thread and
one ``httpx`` client per simulated user, all logged in, each requesting the park dashboard
and a company page in turn (company ids drawn at random), for the given time. Only loopback
is used; the load generator shares the machine's cores with the server.

Prints JSON: requests, errors, throughput and latency percentiles (ms) per page, and the
audit check: after the server stopped (SIGTERM: it writes the queued audit entries of reads
first), the database must hold exactly one read entry per company page answered. Target
(issue 8): p95 of the dashboard and of the company page <= 200 ms, no errors, every read
audited. Results are recorded in docs/performance.md (section "Webapplicatie").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

PARK = "demo-de-wieken"
EMAIL = "bench-manager@example.org"
PASSWORD = "bench-wachtwoord-123"


def prepare(url: str) -> list[str]:
    """Demo park and a park manager in a new database; returns the company ids."""
    from parkplan.services.demo import load_demo_parks
    from parkplan.services.parks import get_park
    from parkplan.services.users import add_user
    from parkplan.store import db

    db.ensure_schema(url)
    with db.session_scope(url) as session:
        load_demo_parks(session, park_ids=[PARK])
        add_user(session, EMAIL, "park_manager", password=PASSWORD, park_ids=[PARK])
        ids = [c.id for c in get_park(session, PARK).companies]
    db.dispose_engines()
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PARKPLAN_DATABASE_URL": url}
    exe = Path(sys.executable).with_name("parkplan")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--insecure-cookies"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/inloggen", timeout=1.0)
            return proc
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "died") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


def login(base: str) -> dict[str, str]:
    """Log in once; the session cookie is shared by all simulated users."""
    with httpx.Client(base_url=base, timeout=30.0) as client:
        page = client.get("/inloggen")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        answer = client.post(
            "/inloggen", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        )
        if answer.status_code != 303:
            raise RuntimeError(f"login failed: {answer.status_code}")
        return {"parkplan_session": client.cookies["parkplan_session"]}


def audited_reads(url: str) -> int:
    """Audit entries of company reads in the database."""
    from sqlalchemy import func, select

    from parkplan.store import db
    from parkplan.store.tables import AuditLogRow

    with db.session_scope(url) as session:
        count = session.scalar(
            select(func.count())
            .select_from(AuditLogRow)
            .where(AuditLogRow.action == "read", AuditLogRow.entity == "company")
        )
    db.dispose_engines()
    return int(count or 0)


def run(base: str, cookies: dict[str, str], ids: list[str], clients: int, seconds: float) -> dict:
    latencies: dict[str, list[float]] = {"dashboard": [], "company": []}
    answered = {"company": 0}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        own_lat: dict[str, list[float]] = {"dashboard": [], "company": []}
        own_err: list[str] = []
        own_ok = 0
        with httpx.Client(base_url=base, cookies=cookies, timeout=30.0) as client:
            turn = seed % 2
            while time.monotonic() < stop_at:
                kind = "dashboard" if turn == 0 else "company"
                turn ^= 1
                path = (
                    f"/parken/{PARK}"
                    if kind == "dashboard"
                    else (f"/parken/{PARK}/bedrijven/{rng.choice(ids)}")
                )
                t0 = time.perf_counter()
                try:
                    r = client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError as exc:
                    ok, r = False, None
                    own_err.append(f"{path}: {type(exc).__name__}")
                dt = (time.perf_counter() - t0) * 1000.0
                own_lat[kind].append(dt)
                if ok and kind == "company":
                    own_ok += 1
                if not ok and r is not None:
                    own_err.append(f"{path}: {r.status_code}")
        with lock:
            for k, v in own_lat.items():
                latencies[k].extend(v)
            errors.extend(own_err)
            answered["company"] += own_ok

    threads = [threading.Thread(target=user, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0

    def stats(values: list[float]) -> dict[str, float]:
        a = np.asarray(values) if values else np.asarray([np.nan])
        return {
            "requests": len(values),
            "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1),
            "p99_ms": round(float(np.percentile(a, 99)), 1),
            "max_ms": round(float(np.max(a)), 1),
        }

    total = sum(len(v) for v in latencies.values())
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": total,
        "throughput_rps": round(total / wall, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
        "company_pages_answered": answered["company"],
        "dashboard": stats(latencies["dashboard"]),
        "company": stats(latencies["company"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    clients = max(1, min(args.clients, 100))
    seconds = max(1.0, min(args.seconds, 300.0))
    with tempfile.TemporaryDirectory(prefix="parkplan-bench-web-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        ids = prepare(url)
        port = free_port()
        server = start_server(url, port)
        try:
            base = f"http://127.0.0.1:{port}"
            cookies = login(base)
            with httpx.Client(base_url=base, cookies=cookies, timeout=60.0) as warm:
                warm.get(f"/parken/{PARK}")  # computes and stores the baseline once
                warm.get(f"/parken/{PARK}/bedrijven/{ids[0]}")
            result = run(base, cookies, ids, clients, seconds)
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        # one entry per company page answered, the warm-up included
        result["audited_reads"] = audited_reads(url)
        result["audit_complete"] = result["audited_reads"] == result["company_pages_answered"] + 1
    result.update(
        {
            "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
            "park": PARK,
            "companies": len(ids),
            "database": "sqlite",
            "target_p95_ms": 200,
            "cpu_count": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
    )
    ok = (
        result["errors"] == 0
        and result["audit_complete"]
        and result["dashboard"]["p95_ms"] <= 200
        and result["company"]["p95_ms"] <= 200
    )
    result["target_met"] = ok
    print(json.dumps(result, indent=2))
    print(
        f"dashboard p95 {result['dashboard']['p95_ms']} ms, company p95 "
        f"{result['company']['p95_ms']} ms, {result['throughput_rps']} req/s, "
        f"{result['errors']} errors, audit complete: {result['audit_complete']}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
