"""`python -m bench [NAME ...]`: run the benchmarks and print their tables.

With no names, runs every benchmark module listed below that exists.
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = {
    "retrieval": "bench.bench_retrieval",
    "llm": "bench.bench_llm",
    "ui": "bench.bench_ui",
    "web": "bench.bench_web",
    "durability": "bench.durability",
    "load": "bench.bench_load",
    "roleplay": "bench.bench_roleplay",
    "scenarios": "bench.bench_scenarios",
    "chat": "bench.bench_chat",
    "injection": "bench.bench_injection",
    "quality": "bench.bench_quality",
    "cli": "bench.bench_cli",
    "auth": "bench.bench_auth",
    "harvest": "bench.bench_harvest",
    "framework": "bench.bench_framework",
    "emails": "bench.bench_emails",
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    failed = 0
    for name in names:
        try:
            module = importlib.import_module(BENCHMARKS[name])
        except ModuleNotFoundError:
            print(f"\n## {name}: not available")
            continue
        print(f"\n## {name}")
        started = time.perf_counter()
        code = module.main([]) or 0
        failed += bool(code)
        print(f"({name}: {time.perf_counter() - started:.1f} s, exit {code})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
