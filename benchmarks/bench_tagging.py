"""Tagging throughput on one core: skills + role family per posting, sector per company.

Reads the real Ashby captures in ../shared/realdata/ashby when present, else generates
synthetic postings. Not a timed test; prints postings/s (best of --repeat runs, since
other processes share the machine).

    python benchmarks/bench_tagging.py [--repeat 3] [--synthetic 3000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from pipelines.tagging.role_family import classify_role  # noqa: E402
from pipelines.tagging.sector import infer_sector  # noqa: E402
from pipelines.tagging.skills import SkillMatcher  # noqa: E402

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata" / "ashby"
Boards = dict[str, list[dict[str, Any]]]


def real_boards() -> Boards:
    boards: Boards = {}
    for path in sorted(REALDATA.glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            boards[path.name.removesuffix(".json.gz")] = json.load(handle).get("jobs") or []
    return boards


def synthetic_boards(postings: int, seed: int = 7) -> Boards:
    """Postings of ~5 KB built from realistic sentences, 20 per company."""
    rng = random.Random(seed)
    about = [
        "We build software that helps hospitals and clinicians document patient visits.",
        "Our platform helps utilities balance the grid with battery storage and solar.",
        "We make payments, lending and credit cards simple for small businesses.",
        "Developers use our APIs and SDKs to ship cloud software faster.",
    ]
    duties = [
        "Train models in PyTorch and evaluate them on held-out data.",
        "Build data pipelines in dbt, Airflow and Snowflake.",
        "Write React and TypeScript front ends backed by Go services on Kubernetes.",
        "Design A/B tests and forecasting models; present insights to stakeholders.",
        "Own customer relationships and close deals with enterprise buyers.",
        "Deploy LLM features with retrieval-augmented generation and evals.",
        "Work with SQL, Python, AWS and Terraform every day.",
    ]
    titles = [
        "Machine Learning Engineer",
        "Software Engineer",
        "Data Scientist",
        "Account Executive",
        "Data Engineer",
        "Product Manager",
        "MLOps Engineer",
    ]
    boards: Boards = {}
    for i in range(postings):
        company = f"company{i // 20}"
        intro = about[(i // 20) % len(about)]
        body = " ".join(rng.choice(duties) for _ in range(60))
        text = f"About us\n\n{intro}\n\nWhat you'll do\n\n{body}\n\nBenefits: dental insurance."
        boards.setdefault(company, []).append(
            {"title": rng.choice(titles), "department": "Engineering", "team": None,
             "descriptionPlain": text}
        )  # fmt: skip
    return boards


def best_rate(count: int, run: Callable[[], None], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=3000, help="postings when no realdata")
    args = parser.parse_args()

    boards = real_boards() if REALDATA.is_dir() else synthetic_boards(args.synthetic)
    source = f"real Ashby boards in {REALDATA}" if REALDATA.is_dir() else "synthetic postings"
    jobs = [job for postings in boards.values() for job in postings]
    texts = [job.get("descriptionPlain") or "" for job in jobs]
    chars = sum(len(t) for t in texts) / max(len(texts), 1)
    print(f"{len(jobs)} postings from {len(boards)} companies ({source}), {chars:.0f} chars avg")

    matcher = SkillMatcher.load()
    classify_role("warm up")  # loads and caches the taxonomy

    def skills() -> None:
        for text in texts:
            matcher.match(text)

    def roles() -> None:
        for job in jobs:
            classify_role(job.get("title"), job.get("department"), job.get("team"),
                          job.get("descriptionPlain"))  # fmt: skip

    def both() -> None:
        skills()
        roles()

    def sectors() -> None:
        for company, postings in boards.items():
            infer_sector(company, [f"{p.get('title')}\n\n{p.get('descriptionPlain')}"
                                   for p in postings])  # fmt: skip

    print(f"skills:               {best_rate(len(jobs), skills, args.repeat):8.0f} postings/s")
    print(f"role family:          {best_rate(len(jobs), roles, args.repeat):8.0f} postings/s")
    print(f"skills + role family: {best_rate(len(jobs), both, args.repeat):8.0f} postings/s")
    rate = best_rate(len(boards), sectors, args.repeat)
    print(f"sector:               {rate:8.0f} companies/s "
          f"({rate * len(jobs) / max(len(boards), 1):.0f} postings/s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
