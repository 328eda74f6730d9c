"""Run wrk (the Debian package; installed when missing) and read its summary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    socket_errors: int
    non_2xx: int

    @property
    def clean(self) -> bool:
        return self.socket_errors == 0 and self.non_2xx == 0


def ensure_wrk() -> str:
    """The path of wrk, installing the Debian package first when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return shutil.which("wrk") or "wrk"


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse(output: str) -> WrkResult:
    """wrk's ``--latency`` summary as numbers."""

    def number(pattern: str) -> int:
        found = re.search(pattern, output)
        return int(found.group(1)) if found else 0

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        requests_per_second=float(rate.group(1)) if rate else 0.0,
        p50_ms=_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=_ms(p99.group(1)) if p99 else float("nan"),
        requests=number(r"(\d+) requests in"),
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        non_2xx=number(r"Non-2xx or 3xx responses: (\d+)"),
    )


def run(url: str, *, connections: int, seconds: float, headers: dict[str, str]) -> WrkResult:
    """One wrk run: ``connections`` keep-alive connections over up to two threads."""
    command = [
        ensure_wrk(),
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], check=True, capture_output=True, text=True)
    return parse(done.stdout)
