"""The taggers against the hand labels on real Ashby boards, holdout split.

Skipped when ../shared/realdata or the labels (warehouse/eval/) are absent. The rules were
tuned on the `tune` split only; holdout companies measure them. Run with -s for the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.tagging.evaluation import LABELS_DIR, EvalReport, evaluate, render_report

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not (REALDATA / "ashby").is_dir(), reason="no ../shared/realdata"),
    pytest.mark.skipif(
        not (LABELS_DIR / "company_sectors.csv").exists()
        or not (LABELS_DIR / "posting_roles.csv").exists(),
        reason="no labels in warehouse/eval",
    ),
]


@pytest.fixture(scope="module")
def holdout() -> EvalReport:
    report = evaluate(REALDATA, "holdout")
    print("\n" + render_report(report))
    return report


def test_every_label_was_found(holdout: EvalReport) -> None:
    assert holdout.errors == []
    assert holdout.roles.count >= 150
    assert holdout.sectors.count >= 90


def at_least(value: float | None, target: float, what: str) -> None:
    assert value is not None, f"{what}: no items"
    assert value >= target, f"{what} {value:.3f} < target {target}"


def test_ml_flag_precision_and_recall(holdout: EvalReport) -> None:
    at_least(holdout.ml_flag.precision, 0.92, "ML flag precision")
    at_least(holdout.ml_flag.recall, 0.92, "ML flag recall")


def test_role_family_accuracy(holdout: EvalReport) -> None:
    at_least(holdout.roles.accuracy, 0.85, "role family accuracy")


def test_sector_primary_accuracy(holdout: EvalReport) -> None:
    at_least(holdout.sectors.accuracy, 0.85, "sector primary accuracy")


@pytest.mark.xfail(
    strict=True,
    reason="target not met yet: holdout important-problem F1 is 0.886 on the labellers' "
    "majority (precision 0.912, recall 0.861; 0.899 on the first labeller's labels alone) "
    "against 0.90; issue 5 stays open until it is",
)
def test_important_problem_f1(holdout: EvalReport) -> None:
    at_least(holdout.important.f1, 0.90, "important-problem F1")


def test_important_problem_f1_does_not_regress(holdout: EvalReport) -> None:
    # the figures reached so far, so a change that makes either worse fails at once
    at_least(holdout.important.f1, 0.885, "important-problem F1 (labellers' majority)")
    first = evaluate(REALDATA, "holdout", gold="first")
    at_least(first.important.f1, 0.898, "important-problem F1 (first labeller)")


def test_titles_alone_tag_few_companies_but_rightly() -> None:
    # a board that lists no descriptions: most companies get no sector, but an
    # important-problem flag read from titles alone must still be right when it is set
    titles = evaluate(REALDATA, "holdout", titles_only=True)
    print("\n" + render_report(titles))
    tagged = [p for _, p in titles.sectors.pairs if p is not None]
    assert 0 < len(tagged) < titles.sectors.count
    at_least(titles.important.precision, 0.9, "important-problem precision, titles only")
