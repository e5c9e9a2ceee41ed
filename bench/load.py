"""A bounded load run on loopback: gunicorn with two workers, then wrk for a fixed time per URL.

Everything here stops by itself: wrk runs for `seconds`, gunicorn is terminated (by its own
process id) when the block ends, even on error. Without wrk (and without root to install it
from Debian) a small threaded Python client stands in, and the report says so.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass

# Counts answers other than 200 (a redirect to the login page would look like success to wrk).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("NON200 %d\\n", total))
end
"""


@dataclass
class LoadResult:
    url: str
    requests: int
    seconds: float
    errors: int
    latency_ms: float
    tool: str

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 2, settings: str = "bench.settings"):
    """Yield the base URL of gunicorn serving the portal on a free loopback port."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "khuyencong.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=120",
        "--graceful-timeout=5",
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/bench/bare/", process)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")


def check(url: str, cookie: str) -> int:
    """The status a logged-in GET of `url` gets, without following redirects."""
    parsed = urllib.request.urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
    try:
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def ensure_wrk(log=print) -> str | None:
    """The path of wrk, installing Debian's package when running as root; None if impossible."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log("wrk is not installed and we are not root: using the Python load client instead.")
        return None
    log("installing wrk from Debian (apt-get install -y wrk)…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "stdin": subprocess.DEVNULL, "env": env}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"]
    if subprocess.run(install, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(install, **quiet)
    return shutil.which("wrk")


def run(url: str, cookie: str, seconds: int, connections: int, wrk: str | None) -> LoadResult:
    if wrk:
        return _wrk(wrk, url, cookie, seconds, connections)
    return _python(url, cookie, seconds, connections)


def _wrk(wrk, url, cookie, seconds, connections) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = [
            wrk,
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=30s",
            f"--script={script.name}",
            "--header",
            f"Cookie: {cookie}",
            url,
        ]
        out = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
    finally:
        os.unlink(script.name)
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    requests, elapsed = int(done.group(1)), float(done.group(2))
    if done.group(3) == "ms":
        elapsed /= 1000
    errors = int(re.search(r"NON200 (\d+)", out).group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[latency.group(2)]
    return LoadResult(url, requests, elapsed, errors, float(latency.group(1)) * scale, "wrk")


def _python(url, cookie, seconds, connections) -> LoadResult:
    """Keep-alive GETs from `connections` threads for `seconds` (a stand-in for wrk)."""
    parsed = urllib.request.urlparse(url)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "errors": 0, "latency": 0.0}
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        ok = errors = 0
        latency = 0.0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            latency += time.perf_counter() - started
        connection.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors
            counts["latency"] += latency

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = counts["ok"] + counts["errors"]
    latency_ms = counts["latency"] / total * 1000 if total else 0.0
    return LoadResult(url, total, elapsed, counts["errors"], latency_ms, "python")
