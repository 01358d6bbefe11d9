"""The demo registry: fictional companies, pointed at the local board server."""

from __future__ import annotations

from pathlib import Path

from pipelines.demo.fixture_server import BoardServer, demo_sources_yaml

DEMO_REGISTRY = Path(__file__).resolve().parent / "demo_sources.yaml"


def write_demo_sources(server: BoardServer, registry: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(demo_sources_yaml(server, registry), encoding="utf-8")
    return target
