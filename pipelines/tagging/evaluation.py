"""Evaluate the sector and role-family taggers against hand labels on real Ashby boards.

Labels live in warehouse/eval/ (see its README): company_sectors.csv and
posting_roles.csv. Companies, with all their postings, are split by a stable hash of
the slug: first sha1 hex digit 0-9 -> "tune", a-f -> "holdout". Rules are tuned on
"tune"; "holdout" is the measure.

    python -m pipelines.tagging.evaluation [realdata_dir] [tune|holdout|all] [mistakes]
        [--ablate 1,2,3,all-longest] [--seeds 5] [--failures N] [--embeddings]
        [--gold votes|first] [--agreement] [--titles-only]

Gold labels (`--gold`): by default each label is what most of the labellers who labelled the
item gave, field by field (gold_labels): the first labeller labelled everything, a second
labeller every holdout item blind, and a third, blind to both, the items those two disagree
on; when all differ, the first's stands. `--gold first` scores against the first alone.

`--ablate` is the robustness check for the company sector: each company's sector is
inferred again from a subset of its postings (`k`: k postings drawn at random, once per
seed; `all-longest`: every posting but the one with the longest description, which is
where the "About us" text usually is; `k-longest`: k drawn from those). The labels were
made from the whole board, so a tagger that is right only with the full board leans on
evidence a new, small board may not have. `--failures` lists the companies most often
wrong under ablation; it refuses the holdout split, whose per-company output must not
guide the rules.

`--titles-only` scores the taggers as they tag a board that lists no descriptions (a
Greenhouse list without content, a board whose postings are one line): the postings'
titles, departments and teams, and nothing of their text.

`--embeddings` (needs the optional `embeddings` extra) lets the embedding vote of
sector_embeddings.py decide where the rules' sector decision is weak, with the tune
companies as labelled prototypes (a company is never its own neighbour, so tune figures
are leave-one-company-out), and prints the same figures plus the model's throughput.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import gzip
import hashlib
import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.tagging.role_family import ML_ROLE_FAMILIES, ROLE_FAMILIES, classify_role
from pipelines.tagging.sector import SectorTag, infer_sector
from pipelines.tagging.sectors import SECTOR_CODES, is_important_problem

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LABELS_DIR = PROJECT_ROOT / "warehouse" / "eval"
DEFAULT_REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
SPLITS = ("tune", "holdout", "all")
SectorTagger = Callable[[str, Sequence[str]], SectorTag]  # (company, posting texts) -> tag


def split_of(slug: str) -> str:
    """'tune' or 'holdout' for a company slug exactly as written in the label files."""
    return "tune" if hashlib.sha1(slug.encode()).hexdigest()[0] in "0123456789" else "holdout"


# ----------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class CodeScore:
    code: str
    support: int  # gold items with this code
    predicted: int  # items predicted as this code
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if not p or not r:
            return 0.0 if (p is not None or r is not None) else None
        return 2 * p * r / (p + r)


@dataclass(frozen=True)
class TagScore:
    """Multi-class agreement between gold and predicted codes (None = no prediction)."""

    name: str
    codes: tuple[str, ...]
    pairs: tuple[tuple[str, str | None], ...]  # (gold, predicted)

    @property
    def count(self) -> int:
        return len(self.pairs)

    @property
    def accuracy(self) -> float | None:
        return sum(g == p for g, p in self.pairs) / len(self.pairs) if self.pairs else None

    def per_code(self) -> list[CodeScore]:
        gold = Counter(g for g, _ in self.pairs)
        predicted = Counter(p for _, p in self.pairs)
        correct = Counter(g for g, p in self.pairs if g == p)
        return [CodeScore(c, gold[c], predicted[c], correct[c]) for c in self.codes]

    def confusion(self) -> Counter[tuple[str, str | None]]:
        return Counter(self.pairs)


@dataclass(frozen=True)
class FlagScore:
    """Binary agreement for a yes/no flag (positives are True)."""

    name: str
    pairs: tuple[tuple[bool, bool], ...]  # (gold, predicted)

    @property
    def count(self) -> int:
        return len(self.pairs)

    @property
    def true_positives(self) -> int:
        return sum(g and p for g, p in self.pairs)

    @property
    def precision(self) -> float | None:
        predicted = sum(p for _, p in self.pairs)
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        gold = sum(g for g, _ in self.pairs)
        return self.true_positives / gold if gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    split: str
    gold: str
    roles: TagScore
    ml_flag: FlagScore
    sectors: TagScore
    important: FlagScore
    secondary: TagScore
    errors: list[str] = field(default_factory=list)  # labelled items not found in the data
    mistakes: list[str] = field(default_factory=list)  # one line per wrong prediction
    # the company of each role pair and of each sector pair (for resampling by company)
    role_companies: tuple[str, ...] = ()
    sector_companies: tuple[str, ...] = ()
    titles_only: bool = False  # scored without the postings' descriptions


HEADLINES = (
    "important-problem F1",
    "sector primary accuracy",
    "role family accuracy",
    "ML flag precision",
    "ML flag recall",
)


def headline_figures(report: EvalReport) -> dict[str, float | None]:
    """The figures the issue sets targets for, by name (HEADLINES)."""
    return dict(
        zip(
            HEADLINES,
            (
                report.important.f1,
                report.sectors.accuracy,
                report.roles.accuracy,
                report.ml_flag.precision,
                report.ml_flag.recall,
            ),
            strict=True,
        )
    )


def intervals(
    report: EvalReport, draws: int = 1000, level: float = 0.95, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of the headline figures, drawing whole companies
    with replacement (a company's postings come with it: they share a board and its
    wording, so they are not independent items). A figure undefined in a draw (no gold
    positive drawn) is left out of that draw; a figure never defined gets no interval."""
    companies = sorted(set(report.role_companies) | set(report.sector_companies))
    if not companies:
        return {}
    roles_of: dict[str, list[tuple[str, str | None]]] = {c: [] for c in companies}
    for company, pair in zip(report.role_companies, report.roles.pairs, strict=True):
        roles_of[company].append(pair)
    sectors_of: dict[str, list[tuple[int, str]]] = {c: [] for c in companies}
    for index, company in enumerate(report.sector_companies):
        sectors_of[company].append((index, company))
    rng = random.Random(seed)
    values: dict[str, list[float]] = {name: [] for name in HEADLINES}
    for _ in range(draws):
        drawn = rng.choices(companies, k=len(companies))
        roles = [pair for c in drawn for pair in roles_of[c]]
        picked = [index for c in drawn for index, _ in sectors_of[c]]
        resampled = dataclasses.replace(
            report,
            roles=dataclasses.replace(report.roles, pairs=tuple(roles)),
            ml_flag=dataclasses.replace(
                report.ml_flag,
                pairs=tuple((g in ML_ROLE_FAMILIES, p in ML_ROLE_FAMILIES) for g, p in roles),
            ),
            sectors=dataclasses.replace(
                report.sectors, pairs=tuple(report.sectors.pairs[i] for i in picked)
            ),
            important=dataclasses.replace(
                report.important, pairs=tuple(report.important.pairs[i] for i in picked)
            ),
        )
        for name, value in headline_figures(resampled).items():
            if value is not None:
                values[name].append(value)
    tail = (1 - level) / 2
    out = {}
    for name, drawn_values in values.items():
        if drawn_values:
            ordered = sorted(drawn_values)
            low = ordered[int(tail * (len(ordered) - 1))]
            high = ordered[round((1 - tail) * (len(ordered) - 1))]
            out[name] = (low, high)
    return out


# ----------------------------------------------------------------------------- data


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# Later labellers' files beside each first-label file: the second labeller labelled every
# holdout item blind; the third labelled, blind to both, the items the first two disagree on.
LATER_LABELS = {
    "company_sectors.csv": ("second_labeller_sectors.csv", "third_labeller_sectors.csv"),
    "posting_roles.csv": ("second_labeller_roles.csv", "third_labeller_roles.csv"),
}
LABEL_FIELDS = {
    "company_sectors.csv": ("sector_primary", "sector_secondary"),
    "posting_roles.csv": ("role_family",),
}
KEY_COLUMNS = {"company_sectors.csv": 1, "posting_roles.csv": 2}  # company_slug[, job_id]
GOLDS = ("votes", "first")  # the majority of the labellers, or the first labeller alone


def majority(values: Sequence[str]) -> str:
    """The value more than half the labellers gave; the first labeller's when none has."""
    value, count = Counter(values).most_common(1)[0]
    return value if count * 2 > len(values) else values[0]


def gold_labels(folder: Path, first_file: str, gold: str = "votes") -> list[dict[str, str]]:
    """The rows of `first_file` with each label field voted over every labeller who labelled
    that item (`gold="votes"`), field by field; or the first labeller's rows as they are."""
    if gold not in GOLDS:
        raise ValueError(f"gold must be one of {GOLDS}, got {gold!r}")
    rows = _read_csv(folder / first_file)
    if gold == "first":
        return rows
    keys = ("company_slug", "job_id")[: KEY_COLUMNS[first_file]]
    later: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for name in LATER_LABELS[first_file]:
        if (folder / name).exists():
            for _, row in _paired(folder, first_file, name, len(keys)):
                later.setdefault(tuple(row[k] for k in keys), []).append(row)
    voted = []
    for row in rows:
        others = later.get(tuple(row[k] for k in keys), [])
        fields = LABEL_FIELDS[first_file]
        votes = {f: majority([row[f] or ""] + [o[f] or "" for o in others]) for f in fields}
        if votes.get("sector_secondary") and votes["sector_secondary"] == votes["sector_primary"]:
            votes["sector_secondary"] = ""
        voted.append({**row, **votes})
    return voted


def _boards_dir(realdata_dir: Path) -> Path:
    return realdata_dir / "ashby" if (realdata_dir / "ashby").is_dir() else realdata_dir


@dataclass
class _Boards:
    directory: Path
    cache: dict[str, list[dict[str, Any]] | None] = field(default_factory=dict)

    def jobs(self, slug: str) -> list[dict[str, Any]] | None:
        if slug not in self.cache:
            path = self.directory / f"{slug}.json.gz"
            if path.exists():
                with gzip.open(path, "rt", encoding="utf-8") as handle:
                    self.cache[slug] = json.load(handle).get("jobs") or []
            else:
                self.cache[slug] = None
        return self.cache[slug]


def posting_text(job: dict[str, Any], titles_only: bool = False) -> str:
    """Title and plain description of an Ashby posting, as the sector tagger reads it (the
    title alone with `titles_only`, as the pipeline gives it for a posting without text)."""
    description = "" if titles_only else job.get("descriptionPlain") or ""
    return f"{job.get('title') or ''}\n\n{description}"


def _in_split(slug: str, split: str) -> bool:
    return split == "all" or split_of(slug) == split


@dataclass(frozen=True)
class _Company:
    slug: str
    primary: str | None
    secondary: str | None
    note: str
    jobs: list[dict[str, Any]]


def _companies(
    labels: Path, boards: _Boards, split: str, errors: list[str], gold: str = "votes"
) -> list[_Company]:
    """The labelled companies of one split that have a board file (others go to errors)."""
    out = []
    for row in gold_labels(labels, "company_sectors.csv", gold):
        slug = row["company_slug"]
        if not _in_split(slug, split):
            continue
        jobs = boards.jobs(slug)
        if jobs is None:
            errors.append(f"company {slug}: no board file")
            continue
        primary, secondary = row["sector_primary"] or None, row.get("sector_secondary") or None
        out.append(_Company(slug, primary, secondary, row.get("note") or "", jobs))
    return out


# ----------------------------------------------------------------------------- evaluate


def evaluate(
    realdata_dir: Path,
    split: str = "holdout",
    labels_dir: Path | None = None,
    sector_tagger: SectorTagger | None = None,
    gold: str = "votes",
    titles_only: bool = False,
) -> EvalReport:
    """Run the taggers over the labelled companies and postings of one split
    (`sector_tagger`: infer_sector unless given, e.g. the embedding backup; `gold`: see
    gold_labels; `titles_only`: without the postings' descriptions)."""
    tag_sector = sector_tagger or infer_sector
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    labels = labels_dir or LABELS_DIR
    boards = _Boards(_boards_dir(Path(realdata_dir)))
    errors: list[str] = []
    mistakes: list[str] = []

    role_pairs: list[tuple[str, str | None]] = []
    role_companies: list[str] = []
    for row in gold_labels(labels, "posting_roles.csv", gold):
        slug, job_id, gold_role = row["company_slug"], row["job_id"], row["role_family"]
        if not _in_split(slug, split):
            continue
        job = next((j for j in boards.jobs(slug) or [] if j.get("id") == job_id), None)
        if job is None:
            errors.append(f"posting {slug}/{job_id}: not found in the board file")
            continue
        tag = classify_role(
            job.get("title") or "", job.get("department"), job.get("team"),
            None if titles_only else job.get("descriptionPlain"),
        )  # fmt: skip
        role_pairs.append((gold_role, tag.role_family))
        role_companies.append(slug)
        if tag.role_family != gold_role:
            mistakes.append(
                f"role {slug}/{job_id} {job.get('title')!r}: gold {gold_role}, got "
                f"{tag.role_family} [{tag.evidence}] note: {row.get('note') or ''}"
            )

    sector_pairs: list[tuple[str, str | None]] = []
    secondary_pairs: list[tuple[str, str | None]] = []
    important_pairs: list[tuple[bool, bool]] = []
    sector_companies: list[str] = []
    for company in _companies(labels, boards, split, errors, gold):
        slug, gold_primary, gold_secondary = company.slug, company.primary, company.secondary
        sector_companies.append(slug)
        tag = tag_sector(slug, [posting_text(j, titles_only) for j in company.jobs])
        sector_pairs.append((gold_primary or "", tag.primary))
        secondary_pairs.append((gold_secondary or "-", tag.secondary or "-"))
        gold_important = bool(is_important_problem(gold_primary, gold_secondary))
        important_pairs.append(
            (gold_important, bool(is_important_problem(tag.primary, tag.secondary)))
        )
        if tag.primary != gold_primary or (tag.secondary or None) != gold_secondary:
            mistakes.append(
                f"sector {slug}: gold {gold_primary}/{gold_secondary or '-'}, got "
                f"{tag.primary}/{tag.secondary or '-'} [{tag.evidence}] note: {company.note}"
            )

    return EvalReport(
        split=split,
        gold=gold,
        titles_only=titles_only,
        roles=TagScore("role family", ROLE_FAMILIES, tuple(role_pairs)),
        ml_flag=FlagScore(
            "ML role flag",
            tuple((g in ML_ROLE_FAMILIES, p in ML_ROLE_FAMILIES) for g, p in role_pairs),
        ),
        sectors=TagScore("sector primary", SECTOR_CODES, tuple(sector_pairs)),
        important=FlagScore("important-problem flag", tuple(important_pairs)),
        secondary=TagScore("sector secondary", ("-", *SECTOR_CODES), tuple(secondary_pairs)),
        errors=errors,
        mistakes=mistakes,
        role_companies=tuple(role_companies),
        sector_companies=tuple(sector_companies),
    )


# ----------------------------------------------------------------------------- ablation


@dataclass(frozen=True)
class Ablation:
    """Which of a company's postings the sector tagger gets: `size` drawn at random
    (None: all), from the postings other than the longest one when `without_longest`."""

    size: int | None
    without_longest: bool = False

    @property
    def name(self) -> str:
        return f"{self.size or 'all'}{'-longest' if self.without_longest else ''}"

    @classmethod
    def parse(cls, token: str) -> Ablation:
        """'3' -> 3 random postings; 'all-longest' / '2-longest': without the longest."""
        size, _, rest = token.strip().partition("-")
        if rest not in ("", "longest") or not (size == "all" or size.isdigit() and int(size)):
            raise ValueError(f"ablation must be k, all-longest or k-longest (k >= 1): {token!r}")
        return cls(None if size == "all" else int(size), rest == "longest")

    def subsets(self, slug: str, jobs: list[dict[str, Any]], seeds: int) -> list[list[Any]]:
        """One subset per seed, the same for every run (seeded by slug, ablation, seed);
        none when no posting is left."""
        pool = list(jobs)
        if self.without_longest and pool:
            pool.remove(max(pool, key=lambda j: len(j.get("descriptionPlain") or "")))
        if not pool:
            return []
        if self.size is None or len(pool) <= self.size:
            return [pool] * seeds
        size = self.size
        return [random.Random(f"{slug}/{self.name}/{s}").sample(pool, size) for s in range(seeds)]


@dataclass
class AblationReport:
    ablation: str
    sectors: TagScore
    important: FlagScore
    companies: int  # companies with at least one posting left
    wrong: Counter[str]  # slug -> runs with the primary or the important flag wrong
    predicted: dict[str, Counter[str]]  # slug -> "primary/secondary" -> runs
    gold: dict[str, str]  # slug -> "primary/secondary"
    wrong_on_full_board: frozenset[str]  # wrong without ablation too


def _right(company: _Company, tag: SectorTag) -> bool:
    """The primary and the important-problem flag agree with the labels."""
    gold = bool(is_important_problem(company.primary, company.secondary))
    return tag.primary == company.primary and gold == bool(
        is_important_problem(tag.primary, tag.secondary)
    )


def _infer(
    company: _Company, jobs: Sequence[dict[str, Any]], tagger: SectorTagger = infer_sector
) -> SectorTag:
    return tagger(company.slug, [posting_text(j) for j in jobs])


def ablate(
    realdata_dir: Path,
    split: str = "tune",
    ablations: Sequence[Ablation] = (Ablation(1), Ablation(2), Ablation(3)),
    seeds: int = 5,
    labels_dir: Path | None = None,
    sector_tagger: SectorTagger | None = None,
) -> list[AblationReport]:
    """The company sector inferred again from parts of each board, one report per
    ablation: primary accuracy and important-problem flag over all runs (every company
    weighs the same: `seeds` runs each)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    boards = _Boards(_boards_dir(Path(realdata_dir)))
    companies = _companies(labels_dir or LABELS_DIR, boards, split, [])
    tagger = sector_tagger or infer_sector
    wrong_on_full_board = frozenset(
        c.slug for c in companies if not _right(c, _infer(c, c.jobs, tagger))
    )
    reports = []
    for ablation in ablations:
        sector_pairs: list[tuple[str, str | None]] = []
        important_pairs: list[tuple[bool, bool]] = []
        wrong: Counter[str] = Counter()
        predicted: dict[str, Counter[str]] = {}
        with_postings = 0
        for company in companies:
            gold_important = bool(is_important_problem(company.primary, company.secondary))
            subsets = ablation.subsets(company.slug, company.jobs, seeds)
            with_postings += bool(subsets)
            tags: dict[tuple[int, ...], SectorTag] = {}  # a board of k or fewer: once
            for subset in subsets:
                key = tuple(id(j) for j in subset)
                tag = tags[key] = tags.get(key) or _infer(company, subset, tagger)
                sector_pairs.append((company.primary or "", tag.primary))
                important_pairs.append(
                    (gold_important, bool(is_important_problem(tag.primary, tag.secondary)))
                )
                got = f"{tag.primary}/{tag.secondary or '-'}"
                predicted.setdefault(company.slug, Counter())[got] += 1
                wrong[company.slug] += not _right(company, tag)
        reports.append(
            AblationReport(
                ablation=ablation.name,
                sectors=TagScore("sector primary", SECTOR_CODES, tuple(sector_pairs)),
                important=FlagScore("important-problem flag", tuple(important_pairs)),
                companies=with_postings,
                wrong=+wrong,
                predicted=predicted,
                gold={c.slug: f"{c.primary}/{c.secondary or '-'}" for c in companies},
                wrong_on_full_board=wrong_on_full_board,
            )
        )
    return reports


# ----------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.3f}"


def _per_code_table(score: TagScore) -> list[str]:
    lines = [f"  {'code':<18} {'n':>4} {'pred':>5} {'prec':>6} {'recall':>6} {'f1':>6}"]
    for row in score.per_code():
        if row.support or row.predicted:
            lines.append(
                f"  {row.code:<18} {row.support:>4} {row.predicted:>5} "
                f"{_fmt(row.precision):>6} {_fmt(row.recall):>6} {_fmt(row.f1):>6}"
            )
    return lines


def _confusion_matrix(score: TagScore, abbreviations: dict[str, str]) -> list[str]:
    confusion = score.confusion()
    gold_codes = [c for c in score.codes if any(g == c for g, _ in score.pairs)]
    pred_codes = [c for c in score.codes if any(p == c for _, p in score.pairs)]
    if any(p is None for _, p in score.pairs):
        pred_codes.append("none")
    head = "  gold \\ predicted".ljust(22) + "".join(
        f"{abbreviations.get(c, c[:5]):>6}" for c in pred_codes
    )
    lines = [head]
    for gold in gold_codes:
        cells = "".join(
            f"{confusion[(gold, None if p == 'none' else p)] or '.':>6}" for p in pred_codes
        )
        lines.append(f"  {gold:<20}" + cells)
    return lines


def _flag_line(flag: FlagScore) -> str:
    positives = sum(g for g, _ in flag.pairs)
    return (
        f"{flag.name}: precision {_fmt(flag.precision)}  recall {_fmt(flag.recall)}  "
        f"F1 {_fmt(flag.f1)}  (n={flag.count}, gold positives={positives})"
    )


def _abbreviations(codes: Iterable[str]) -> dict[str, str]:
    return {c: "".join(part[:3] for part in c.split("_"))[:5] for c in codes}


def render_report(report: EvalReport, mistakes: int = 0) -> str:
    """A plain-text report: per-code P/R/F1, flags, accuracies and confusion matrices."""
    lines = [f"Tagging evaluation, split={report.split}, gold={report.gold}"]
    if report.titles_only:
        lines.append(
            "Titles only: the taggers read each posting's title, department and team, and "
            "none of its description (a board that lists no descriptions)"
        )
    lines.append("")
    lines.append(
        f"Role family: accuracy {_fmt(report.roles.accuracy)} over {report.roles.count} postings"
    )
    lines += _per_code_table(report.roles)
    lines.append(_flag_line(report.ml_flag))
    lines += _confusion_matrix(report.roles, _abbreviations(ROLE_FAMILIES))
    lines.append("")
    lines.append(
        f"Sector primary (inferred from postings, no registry hint): accuracy "
        f"{_fmt(report.sectors.accuracy)} over {report.sectors.count} companies"
    )
    lines += _per_code_table(report.sectors)
    lines.append(_flag_line(report.important))
    lines.append(
        f"Sector secondary: exact agreement {_fmt(report.secondary.accuracy)} "
        f"(gold has one for {sum(g != '-' for g, _ in report.secondary.pairs)}, "
        f"predicted for {sum(p != '-' for _, p in report.secondary.pairs)})"
    )
    lines += _confusion_matrix(report.sectors, _abbreviations(SECTOR_CODES))
    spans = intervals(report)
    if spans:
        companies = len(set(report.role_companies) | set(report.sector_companies))
        lines += [
            "",
            f"How precise these figures are: 95% intervals from {companies} companies drawn "
            "with replacement 1,000 times (each with its postings):",
        ]
        for name, value in headline_figures(report).items():
            if name in spans:
                low, high = spans[name]
                lines.append(f"  {name:24s} {_fmt(value)}  ({_fmt(low)}-{_fmt(high)})")
    if report.errors:
        lines += ["", f"{len(report.errors)} labelled items not found:"]
        lines += [f"  {e}" for e in report.errors[:20]]
    if mistakes:
        lines += ["", f"First {mistakes} of {len(report.mistakes)} disagreements:"]
        lines += [f"  {m}" for m in report.mistakes[:mistakes]]
    return "\n".join(lines)


def render_ablation(reports: Sequence[AblationReport], seeds: int, failures: int = 0) -> str:
    """One line per ablation; with failures, the companies most often wrong under them."""
    lines = [
        f"Sector robustness: the sector inferred again from part of each board ({seeds} seeds)",
        f"  {'postings':<14} {'companies':>9} {'runs':>5} {'accuracy':>8} "
        f"{'imp prec':>8} {'imp rec':>8} {'imp F1':>7}",
    ]
    for r in reports:
        lines.append(
            f"  {r.ablation:<14} {r.companies:>9} {r.sectors.count:>5} "
            f"{_fmt(r.sectors.accuracy):>8} {_fmt(r.important.precision):>8} "
            f"{_fmt(r.important.recall):>8} {_fmt(r.important.f1):>7}"
        )
    for r in reports if failures else ():
        fragile = {k: v for k, v in r.wrong.items() if k not in r.wrong_on_full_board}
        if not fragile:
            continue
        lines += [
            "",
            f"{r.ablation}: companies right on the full board, most often wrong here "
            "(primary or important flag)",
        ]
        for slug, count in sorted(fragile.items(), key=lambda i: (-i[1], i[0]))[:failures]:
            got = ", ".join(f"{p} x{n}" for p, n in r.predicted[slug].most_common())
            lines.append(f"  {slug}: gold {r.gold[slug]}, wrong {count}; got {got}")
    return "\n".join(lines)


@dataclass
class Agreement:
    """A second, independent labeller scored like the taggers, the first labels as gold."""

    sectors: TagScore
    important: FlagScore
    roles: TagScore
    ml_flag: FlagScore
    differences: list[str]  # one line per item labelled differently


def labeller_agreement(labels_dir: Path | None = None) -> Agreement:
    """How often the second labeller (second_labeller_sectors.csv and _roles.csv: the holdout
    companies and postings, labelled blind to the first labels and to the taggers) agrees
    with the first: the ceiling that label noise puts on the taggers' figures. No real data
    is read."""
    folder = labels_dir or LABELS_DIR
    companies = _paired(folder, "company_sectors.csv", "second_labeller_sectors.csv", 1)
    postings = _paired(folder, "posting_roles.csv", "second_labeller_roles.csv", 2)

    def important(row: dict[str, str]) -> bool:
        return bool(is_important_problem(row["sector_primary"], row["sector_secondary"] or None))

    def sectors(row: dict[str, str]) -> str:
        return f"{row['sector_primary']}/{row['sector_secondary'] or '-'}"

    differences = [
        f"{b['company_slug']}: {sectors(a)} -> {sectors(b)} ({b['confidence']} confidence)"
        + ("  [important flag differs]" if important(a) != important(b) else "")
        for a, b in companies
        if sectors(a) != sectors(b)
    ] + [
        f"{b['company_slug']}/{b['job_id']}: {a['role_family']} -> {b['role_family']} "
        f"({b['confidence']} confidence)"
        + ("  [ML flag differs]" if _is_ml(a) != _is_ml(b) else "")
        for a, b in postings
        if a["role_family"] != b["role_family"]
    ]
    return Agreement(
        sectors=TagScore(
            "sector primary",
            SECTOR_CODES,
            tuple((a["sector_primary"], b["sector_primary"]) for a, b in companies),
        ),  # fmt: skip
        important=FlagScore(
            "important-problem flag", tuple((important(a), important(b)) for a, b in companies)
        ),
        roles=TagScore(
            "role family",
            ROLE_FAMILIES,
            tuple((a["role_family"], b["role_family"]) for a, b in postings),
        ),  # fmt: skip
        ml_flag=FlagScore("ML role flag", tuple((_is_ml(a), _is_ml(b)) for a, b in postings)),
        differences=differences,
    )


def _is_ml(row: dict[str, str]) -> bool:
    return row["role_family"] in ML_ROLE_FAMILIES


def _paired(
    folder: Path, first_file: str, second_file: str, key_columns: int
) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(first label row, second label row) for each row of `second_file`."""
    keys = ("company_slug", "job_id")[:key_columns]
    first = {tuple(r[k] for k in keys): r for r in _read_csv(folder / first_file)}
    second = _read_csv(folder / second_file)
    unknown = [tuple(r[k] for k in keys) for r in second if tuple(r[k] for k in keys) not in first]
    if unknown:
        raise ValueError(f"{folder / second_file}: not labelled in {first_file}: {unknown}")
    return [(first[tuple(r[k] for k in keys)], r) for r in second]


def render_agreement(agreement: Agreement) -> str:
    lines = [
        "Second labeller against the first (the first as gold)",
        f"Sector primary: agreement {_fmt(agreement.sectors.accuracy)} over "
        f"{agreement.sectors.count} companies",
        _flag_line(agreement.important),
        f"Role family: agreement {_fmt(agreement.roles.accuracy)} over "
        f"{agreement.roles.count} postings",
        _flag_line(agreement.ml_flag),
        f"{len(agreement.differences)} items labelled differently (first -> second):",
    ]
    return "\n".join(lines + [f"  {d}" for d in agreement.differences])


def _embedding_backup(realdata_dir: Path, labels_dir: Path | None = None) -> Any:
    """The embedding backup with the tune companies (full boards) as its prototypes;
    sector_embeddings.EmbeddingsUnavailable when the extra is not installed."""
    from pipelines.tagging import sector_embeddings

    embedder = sector_embeddings.load_embedder()
    boards = _Boards(_boards_dir(Path(realdata_dir)))
    tune = _companies(labels_dir or LABELS_DIR, boards, "tune", [])
    prototypes = sector_embeddings.build_prototypes(
        embedder, ((c.slug, c.primary, [posting_text(j) for j in c.jobs]) for c in tune)
    )
    return sector_embeddings.EmbeddingBackup(embedder, prototypes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.tagging.evaluation")
    parser.add_argument("realdata", nargs="?", type=Path, default=DEFAULT_REALDATA)
    parser.add_argument("split", nargs="?", default="holdout", choices=SPLITS)
    parser.add_argument("mistakes", nargs="?", type=int, default=0)
    parser.add_argument("--ablate", help="comma-separated: k, all-longest, k-longest")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--failures", type=int, default=0)
    parser.add_argument(
        "--embeddings", action="store_true",
        help="sector: embedding vote where the rules are weak (optional 'embeddings' extra)",
    )  # fmt: skip
    parser.add_argument(
        "--gold", choices=GOLDS, default="votes",
        help="labels to score against: the labellers' majority (default) or the first alone",
    )  # fmt: skip
    parser.add_argument(
        "--agreement", action="store_true",
        help="score the second labeller against the first (labels only, no tagger)",
    )  # fmt: skip
    parser.add_argument(
        "--titles-only", action="store_true",
        help="tag without the postings' descriptions, as a board that lists none",
    )  # fmt: skip
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.agreement:
        print(render_agreement(labeller_agreement()))
        return 0
    if args.failures and args.split != "tune":
        parser.error("--failures lists per-company results: tune split only")
    try:
        ablations = [Ablation.parse(t) for t in (args.ablate or "").split(",") if t.strip()]
    except ValueError as error:
        parser.error(str(error))
    backup = None
    if args.embeddings:
        from pipelines.tagging.sector_embeddings import EmbeddingsUnavailable

        try:
            backup = _embedding_backup(args.realdata)
        except EmbeddingsUnavailable as error:
            print(f"--embeddings: {error}", file=sys.stderr)
            return 2
    tagger = backup.infer if backup is not None else None
    if not args.ablate:
        report = evaluate(
            args.realdata, args.split, sector_tagger=tagger, gold=args.gold,
            titles_only=args.titles_only,
        )  # fmt: skip
        print(render_report(report, mistakes=args.mistakes))
    else:
        reports = ablate(
            args.realdata, args.split, [Ablation(None), *ablations], args.seeds,
            sector_tagger=tagger,
        )  # fmt: skip
        print(render_ablation(reports, args.seeds, failures=args.failures))
    if backup is not None:
        print("\n" + backup.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
