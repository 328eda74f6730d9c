"""A small closed-loop load generator: N concurrent keep-alive connections hitting one URL for a while."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


async def _worker(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    deadline: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            response = await client.get(url, headers=headers)
        except httpx.TransportError:
            # A keep-alive connection closed by a recycled worker (gunicorn max_requests): retry once on a
            # new connection, as HTTP clients do for idempotent requests.
            response = await client.get(url, headers=headers)
        await response.aread()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            errors.append(response.status_code)


async def _run(
    name: str, url: str, headers: dict[str, str], concurrency: int, seconds: float, warmup: float
) -> Result:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        warm: list[float] = []
        await asyncio.gather(
            *(
                _worker(client, url, headers, time.perf_counter() + warmup, warm, [])
                for _ in range(concurrency)
            )
        )
        latencies: list[float] = []
        errors: list[int] = []
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(_worker(client, url, headers, deadline, latencies, errors) for _ in range(concurrency))
        )
        elapsed = time.perf_counter() - started
    return Result(name, len(latencies), len(errors), elapsed, latencies)


def measure(
    name: str, url: str, headers: dict[str, str], *, concurrency: int, seconds: float, warmup: float = 1.0
) -> Result:
    return asyncio.run(_run(name, url, headers, concurrency, seconds, warmup))
