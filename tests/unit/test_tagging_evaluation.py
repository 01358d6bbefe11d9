"""The evaluation harness on a tiny, made-up labelled set (no real data needed)."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest

from pipelines.tagging import evaluation
from pipelines.tagging.evaluation import (
    Ablation,
    CodeScore,
    EvalReport,
    FlagScore,
    TagScore,
    ablate,
    evaluate,
    headline_figures,
    intervals,
    main,
    render_ablation,
    render_report,
    split_of,
)

HEALTH_ABOUT = (
    "About us\n\nCarewell builds software for clinicians and hospitals: patients, "
    "clinical documentation and the EHR.\n\n"
)
BANK_ABOUT = "About us\n\nCoinly is a bank: payments, lending, loans and credit cards.\n\n"


def board(jobs: list[dict[str, str]]) -> bytes:
    return gzip.compress(json.dumps({"jobs": jobs}).encode())


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Path, Path]:
    realdata = tmp_path / "realdata"
    (realdata / "ashby").mkdir(parents=True)
    labels = tmp_path / "labels"
    labels.mkdir()
    health_jobs = [
        {"id": "h1", "title": "Machine Learning Engineer", "department": "Engineering",
         "team": "ML", "descriptionPlain": HEALTH_ABOUT + "What you'll do\n\nTrain models."},
        {"id": "h2", "title": "Account Executive", "department": "Sales", "team": "Sales",
         "descriptionPlain": HEALTH_ABOUT + "Sell to hospitals."},
    ]  # fmt: skip
    bank_jobs = [
        {"id": "b1", "title": "Data Analyst", "department": "Data", "team": "Data",
         "descriptionPlain": BANK_ABOUT + "Dashboards in SQL."},
        {"id": "b2", "title": "Data Scientist", "department": "Data", "team": "Data",
         "descriptionPlain": BANK_ABOUT + "Credit risk models."},
    ]  # fmt: skip
    (realdata / "ashby" / "carewell.json.gz").write_bytes(board(health_jobs))
    (realdata / "ashby" / "coinly.json.gz").write_bytes(board(bank_jobs))
    (labels / "company_sectors.csv").write_text(
        "company_slug,sector_primary,sector_secondary,note\n"
        "carewell,health,,clinical software\n"
        "coinly,finance,software,bank\n"
        "ghost,software,,no board file\n",
        encoding="utf-8",
    )
    (labels / "posting_roles.csv").write_text(
        "company_slug,job_id,role_family,note\n"
        "carewell,h1,ml_engineering,\n"
        "carewell,h2,other,\n"
        "coinly,b1,analytics,\n"
        "coinly,b2,ml_engineering,labelled wrong on purpose\n"
        "coinly,zz,other,missing posting\n",
        encoding="utf-8",
    )
    return realdata, labels


def test_split_rule_matches_the_readme() -> None:
    # sha1("1password") starts with "8", sha1("Abound") with "b": tune and holdout.
    assert split_of("1password") == "tune"
    assert split_of("Abound") == "holdout"
    assert split_of("carewell") == "tune"  # "7"
    assert split_of("coinly") == "holdout"  # "d"


def test_evaluate_all(dataset: tuple[Path, Path]) -> None:
    realdata, labels = dataset
    report = evaluate(realdata, "all", labels_dir=labels)
    assert report.roles.count == 4
    assert report.roles.accuracy == pytest.approx(0.75)
    assert report.ml_flag.precision == pytest.approx(1.0)
    assert report.ml_flag.recall == pytest.approx(1.0)  # DS and MLE are both ML roles
    assert report.sectors.count == 2
    assert report.sectors.accuracy == pytest.approx(1.0)
    assert report.important.f1 == pytest.approx(1.0)
    assert any("zz" in e for e in report.errors)
    assert any("ghost" in e for e in report.errors)
    assert any("coinly/b2" in m for m in report.mistakes)


def test_evaluate_accepts_the_boards_folder_itself(dataset: tuple[Path, Path]) -> None:
    realdata, labels = dataset
    assert evaluate(realdata / "ashby", "all", labels_dir=labels).roles.count == 4


def test_evaluate_splits_by_company(dataset: tuple[Path, Path]) -> None:
    realdata, labels = dataset
    tune = evaluate(realdata, "tune", labels_dir=labels)
    holdout = evaluate(realdata, "holdout", labels_dir=labels)
    assert tune.roles.count + holdout.roles.count == 4
    assert tune.sectors.count + holdout.sectors.count == 2
    with pytest.raises(ValueError, match="split must be one of"):
        evaluate(realdata, "train", labels_dir=labels)


def test_render_report(dataset: tuple[Path, Path]) -> None:
    realdata, labels = dataset
    text = render_report(evaluate(realdata, "all", labels_dir=labels), mistakes=5)
    for needle in ("Role family: accuracy 0.750 over 4 postings", "ML role flag: precision",
                   "Sector primary", "important-problem flag", "gold \\ predicted",
                   "labelled items not found", "disagreements"):  # fmt: skip
        assert needle in text


def test_titles_only_reads_no_description(dataset: tuple[Path, Path]) -> None:
    realdata, labels = dataset
    full = evaluate(realdata, "all", labels_dir=labels)
    bare = evaluate(realdata, "all", labels_dir=labels, titles_only=True)
    # the sectors were read from the About texts: without them, Carewell's titles say
    # nothing, and only Coinly's name does ("coin": finance)
    assert full.sectors.accuracy == pytest.approx(1.0)
    assert [p for _, p in bare.sectors.pairs] == [None, "finance"]
    assert bare.roles.count == full.roles.count == 4
    text = render_report(bare)
    assert "Titles only: the taggers read each posting's title, department and team" in text
    assert "Titles only" not in render_report(full)


def test_scores() -> None:
    assert CodeScore("x", support=4, predicted=2, correct=2).f1 == pytest.approx(2 / 3)
    assert CodeScore("x", support=0, predicted=0, correct=0).f1 is None
    score = TagScore("t", ("a", "b"), (("a", "a"), ("a", "b"), ("b", None)))
    assert score.accuracy == pytest.approx(1 / 3)
    assert score.confusion()[("b", None)] == 1
    flag = FlagScore("f", ((True, True), (True, False), (False, True)))
    assert (flag.precision, flag.recall, flag.f1) == (0.5, 0.5, 0.5)
    assert FlagScore("empty", ()).f1 is None


def made_up_report(companies: int, wrong_every: int) -> EvalReport:
    """`companies` companies of 3 postings each; every `wrong_every`-th company has its
    sector, its important flag and one posting's role wrong."""
    role_pairs, role_companies, sector_pairs, important_pairs, slugs = [], [], [], [], []
    for index in range(companies):
        slug, wrong = f"c{index}", (index + 1) % wrong_every == 0
        slugs.append(slug)
        sector_pairs.append(("health", "software" if wrong else "health"))
        important_pairs.append((True, not wrong) if index % 2 else (False, wrong))
        for job in range(3):
            gold = "ml_engineering" if job == 0 else "other"
            # a wrong company's ML posting is missed and one other posting taken for ML
            predicted = {0: "other", 1: "ml_engineering"}.get(job, gold) if wrong else gold
            role_pairs.append((gold, predicted))
            role_companies.append(slug)
    return EvalReport(
        split="holdout",
        gold="votes",
        roles=TagScore("role family", evaluation.ROLE_FAMILIES, tuple(role_pairs)),
        ml_flag=FlagScore(
            "ML role flag",
            tuple((g == "ml_engineering", p == "ml_engineering") for g, p in role_pairs),
        ),
        sectors=TagScore("sector primary", evaluation.SECTOR_CODES, tuple(sector_pairs)),
        important=FlagScore("important-problem flag", tuple(important_pairs)),
        secondary=TagScore("sector secondary", ("-",), ()),
        role_companies=tuple(role_companies),
        sector_companies=tuple(slugs),
    )


def test_intervals_hold_the_figure_and_narrow_with_more_companies() -> None:
    small, large = made_up_report(20, 4), made_up_report(200, 4)
    assert headline_figures(small) == pytest.approx(headline_figures(large))
    spans_small, spans_large = intervals(small), intervals(large)
    assert set(spans_small) == set(evaluation.HEADLINES)
    for name, value in headline_figures(small).items():
        low, high = spans_small[name]
        assert low <= value <= high, name
        assert low < high, name  # a quarter of the companies are wrong: the figure varies
        low_l, high_l = spans_large[name]
        assert high_l - low_l < high - low, name
    assert intervals(small) == spans_small  # seeded: the same draws every run
    assert intervals(small, seed=1) != spans_small


def test_intervals_resample_companies_with_all_their_postings() -> None:
    # c2 has two of its three postings wrong, c0 and c1 none: a draw of 3 companies with
    # k copies of c2 has role accuracy (3 * (3 - k) + k) / 9; drawing single postings
    # would give other values too (8/9, 2/3, ...)
    report = made_up_report(3, 3)
    low, high = intervals(report, draws=300)["role family accuracy"]
    allowed = [(3 * (3 - k) + k) / 9 for k in range(4)]
    assert low < high
    assert low == pytest.approx(min(allowed, key=lambda v: abs(v - low)))
    assert high == pytest.approx(min(allowed, key=lambda v: abs(v - high)))


def test_intervals_of_a_perfect_tagger_and_of_no_items() -> None:
    perfect = made_up_report(10, 10**6)
    assert all(span == (1.0, 1.0) for span in intervals(perfect).values())
    empty = dataclasses.replace(perfect, role_companies=(), sector_companies=())
    assert intervals(empty) == {}


def test_the_report_prints_each_figure_with_its_interval(dataset: tuple[Path, Path]) -> None:
    realdata, labels = dataset
    report = evaluate(realdata, "all", labels_dir=labels)
    assert report.role_companies == ("carewell", "carewell", "coinly", "coinly")
    text = render_report(report)
    assert "95% intervals from 2 companies drawn with replacement" in text
    assert "role family accuracy     0.750  (0.500-1.000)" in text  # one company all right


# ----------------------------------------------------------------------------- ablation


@pytest.mark.parametrize(
    ("token", "size", "without_longest"),
    [("1", 1, False), (" 3 ", 3, False), ("all-longest", None, True), ("2-longest", 2, True)],
)
def test_ablation_tokens(token: str, size: int | None, without_longest: bool) -> None:
    ablation = Ablation.parse(token)
    assert (ablation.size, ablation.without_longest) == (size, without_longest)
    assert Ablation.parse(ablation.name) == ablation


@pytest.mark.parametrize("token", ["0", "x", "3-shortest", "-1", "", "all-longer"])
def test_ablation_rejects_bad_tokens(token: str) -> None:
    with pytest.raises(ValueError, match="ablation must be"):
        Ablation.parse(token)


def test_ablation_subsets_are_seeded_and_drop_the_longest() -> None:
    jobs = [{"id": str(i), "descriptionPlain": "x" * (i + 1)} for i in range(10)]
    three = Ablation(3).subsets("acme", jobs, seeds=4)
    assert three == Ablation(3).subsets("acme", jobs, seeds=4)  # the same on every run
    assert len(three) == 4 and all(len(subset) == 3 for subset in three)
    assert len({tuple(j["id"] for j in subset) for subset in three}) > 1  # seeds differ
    assert three != Ablation(3).subsets("other", jobs, seeds=4)  # and so do companies
    rest = Ablation(None, without_longest=True).subsets("acme", jobs, seeds=2)
    assert rest == [jobs[:9], jobs[:9]]  # the longest description (id 9) is gone
    assert all(j["id"] != "9" for s in Ablation(2, True).subsets("acme", jobs, 5) for j in s)
    assert Ablation(5).subsets("acme", jobs[:2], seeds=3) == [jobs[:2]] * 3  # small board
    assert Ablation(1, without_longest=True).subsets("acme", jobs[:1], seeds=3) == []


def test_ablate_on_the_tiny_set(dataset: tuple[Path, Path]) -> None:
    realdata, labels = dataset
    full, one, rest = ablate(
        realdata,
        "all",
        [Ablation(None), Ablation(1), Ablation(None, without_longest=True)],
        seeds=3,
        labels_dir=labels,
    )
    assert (full.ablation, one.ablation, rest.ablation) == ("all", "1", "all-longest")
    assert full.sectors.count == 2 * 3  # every company weighs the same: one run per seed
    assert full.sectors.accuracy == evaluate(realdata, "all", labels).sectors.accuracy
    assert one.companies == rest.companies == 2
    assert one.sectors.accuracy == pytest.approx(1.0)  # the About text is in every posting
    assert full.wrong_on_full_board == frozenset()
    assert ablate(realdata, "all", [Ablation(1)], 3, labels)[0].sectors.pairs == one.sectors.pairs
    text = render_ablation([full, one, rest], seeds=3, failures=5)
    assert "Sector robustness" in text and "all-longest" in text
    with pytest.raises(ValueError, match="split must be one of"):
        ablate(realdata, "train", labels_dir=labels)


def test_main_ablates_and_keeps_holdout_companies_out_of_sight(
    dataset: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    realdata, labels = dataset
    monkeypatch.setattr(evaluation, "LABELS_DIR", labels)
    assert main([str(realdata), "tune", "--ablate", "1,all-longest", "--seeds", "2"]) == 0
    out = capsys.readouterr().out
    assert "(2 seeds)" in out and "\n  1 " in out and "\n  all-longest " in out
    assert main([str(realdata), "tune", "--ablate", "1", "--failures", "3"]) == 0
    with pytest.raises(SystemExit):
        main([str(realdata), "holdout", "--ablate", "1", "--failures", "3"])
    assert "tune split only" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([str(realdata), "tune", "--ablate", "0"])
    assert "ablation must be" in capsys.readouterr().err


def test_labeller_agreement_scores_the_second_labeller(dataset: tuple[Path, Path]) -> None:
    _, labels = dataset
    (labels / "second_labeller_sectors.csv").write_text(
        "company_slug,sector_primary,sector_secondary,confidence,note\n"
        "carewell,software,health,low,clinical SaaS\n"  # primary differs, flag agrees
        "coinly,finance,,high,bank\n",  # secondary differs only
        encoding="utf-8",
    )
    (labels / "second_labeller_roles.csv").write_text(
        "company_slug,job_id,role_family,confidence,note\n"
        "carewell,h1,ml_engineering,high,trains models\n"
        "coinly,b1,data_science,medium,models\n"  # analytics -> an ML role
        "coinly,b2,ml_engineering,high,credit models\n",
        encoding="utf-8",
    )
    agreement = evaluation.labeller_agreement(labels)
    assert agreement.sectors.accuracy == pytest.approx(0.5)
    assert (agreement.important.precision, agreement.important.recall) == (1.0, 1.0)
    assert agreement.roles.accuracy == pytest.approx(2 / 3)
    assert agreement.ml_flag.precision == pytest.approx(2 / 3)
    assert agreement.ml_flag.recall == 1.0
    assert agreement.differences == [
        "carewell: health/- -> software/health (low confidence)",
        "coinly: finance/software -> finance/- (high confidence)",
        "coinly/b1: analytics -> data_science (medium confidence)  [ML flag differs]",
    ]
    text = evaluation.render_agreement(agreement)
    assert "Sector primary: agreement 0.500 over 2 companies" in text
    assert "Role family: agreement 0.667 over 3 postings" in text
    (labels / "second_labeller_sectors.csv").write_text(
        "company_slug,sector_primary,sector_secondary,confidence,note\n"
        "carewell,other,,high,a shop\n",
        encoding="utf-8",
    )
    agreement = evaluation.labeller_agreement(labels)
    assert agreement.important.recall == 0.0
    assert agreement.differences[0].endswith("[important flag differs]")


@pytest.mark.parametrize(
    ("file", "row"),
    [
        ("second_labeller_sectors.csv", "nobody,other,,high,x"),
        ("second_labeller_roles.csv", "carewell,nojob,other,high,x"),
    ],
)
def test_labeller_agreement_names_unlabelled_items(
    dataset: tuple[Path, Path], file: str, row: str
) -> None:
    _, labels = dataset
    (labels / "second_labeller_sectors.csv").write_text(
        "company_slug,sector_primary,sector_secondary,confidence,note\n", encoding="utf-8"
    )
    (labels / "second_labeller_roles.csv").write_text(
        "company_slug,job_id,role_family,confidence,note\n", encoding="utf-8"
    )
    header = (labels / file).read_text(encoding="utf-8")
    (labels / file).write_text(header + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{file}.*not labelled in"):
        evaluation.labeller_agreement(labels)


def test_second_labeller_files_cover_the_holdout_with_valid_codes() -> None:
    # the repo's own label files: every holdout item once, closed codes, nothing from tune
    folder = evaluation.LABELS_DIR
    read = evaluation._read_csv
    companies = read(folder / "second_labeller_sectors.csv")
    holdout = {
        r["company_slug"]
        for r in read(folder / "company_sectors.csv")
        if split_of(r["company_slug"]) == "holdout"
    }
    assert sorted(r["company_slug"] for r in companies) == sorted(holdout)
    for row in companies:
        assert row["sector_primary"] in evaluation.SECTOR_CODES
        assert row["sector_secondary"] in {*evaluation.SECTOR_CODES, ""}
        assert row["sector_secondary"] != row["sector_primary"]
        assert row["confidence"] in {"high", "medium", "low"}
    postings = read(folder / "second_labeller_roles.csv")
    first = [(r["company_slug"], r["job_id"]) for r in read(folder / "posting_roles.csv")]
    held = sorted(key for key in first if split_of(key[0]) == "holdout")
    assert sorted((r["company_slug"], r["job_id"]) for r in postings) == held
    for row in postings:
        assert row["role_family"] in evaluation.ROLE_FAMILIES
        assert row["confidence"] in {"high", "medium", "low"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["health"], "health"),
        (["health", "software"], "health"),  # no majority of two: the first's
        (["", "education", "education"], "education"),
        (["public_good", "software", ""], "public_good"),  # all differ: the first's
        (["software", "other", "other"], "other"),
    ],
)
def test_majority_is_more_than_half_else_the_first_labeller(
    values: list[str], expected: str
) -> None:
    assert evaluation.majority(values) == expected


def write_labels(labels: Path, name: str, *rows: str) -> None:
    """A later labeller's file: `name` ends in sectors.csv or roles.csv."""
    columns = (
        "company_slug,sector_primary,sector_secondary"
        if name.endswith("sectors.csv")
        else "company_slug,job_id,role_family"
    )
    (labels / name).write_text(
        "\n".join([f"{columns},confidence,note", *rows]) + "\n", encoding="utf-8"
    )


def test_gold_labels_vote_field_by_field_over_every_labeller(
    dataset: tuple[Path, Path],
) -> None:
    realdata, labels = dataset
    # primary and secondary swapped by the second and third labellers
    write_labels(labels, "second_labeller_sectors.csv", "coinly,software,finance,low,x")
    write_labels(labels, "third_labeller_sectors.csv", "coinly,software,finance,medium,x")
    write_labels(
        labels, "second_labeller_roles.csv", "coinly,b2,data_science,high,x",
        "coinly,b1,data_science,high,x",
    )  # fmt: skip
    write_labels(
        labels, "third_labeller_roles.csv", "coinly,b2,data_science,high,x",
        "coinly,b1,other,high,x",
    )  # fmt: skip
    voted = {r["company_slug"]: r for r in evaluation.gold_labels(labels, "company_sectors.csv")}
    # first finance/software, then software/finance twice: each field goes to the two
    assert (voted["coinly"]["sector_primary"], voted["coinly"]["sector_secondary"]) == (
        "software",
        "finance",
    )
    assert voted["carewell"]["sector_primary"] == "health"  # one labeller: as labelled
    roles = {
        r["job_id"]: r["role_family"] for r in evaluation.gold_labels(labels, "posting_roles.csv")
    }
    assert roles["b2"] == "data_science"  # two of three
    assert roles["b1"] == "analytics"  # all three differ: the first's
    first = {r["job_id"]: r["role_family"] for r in evaluation.gold_labels(
        labels, "posting_roles.csv", gold="first"
    )}  # fmt: skip
    assert first["b2"] == "ml_engineering"
    # the report scores against the gold asked for
    report = evaluate(realdata, "all", labels_dir=labels)
    assert report.gold == "votes"
    assert ("data_science", "data_science") in report.roles.pairs
    assert ("ml_engineering", "data_science") in evaluate(
        realdata, "all", labels_dir=labels, gold="first"
    ).roles.pairs
    with pytest.raises(ValueError, match="gold must be one of"):
        evaluation.gold_labels(labels, "posting_roles.csv", gold="second")


def test_gold_labels_drop_a_voted_secondary_equal_to_the_voted_primary(
    dataset: tuple[Path, Path],
) -> None:
    _, labels = dataset
    # not a valid label, but votes could produce it
    for name in ("second_labeller_sectors.csv", "third_labeller_sectors.csv"):
        write_labels(labels, name, "coinly,software,software,low,x")
    voted = {r["company_slug"]: r for r in evaluation.gold_labels(labels, "company_sectors.csv")}
    assert (voted["coinly"]["sector_primary"], voted["coinly"]["sector_secondary"]) == (
        "software",
        "",
    )


def test_third_labeller_files_cover_exactly_the_first_two_labellers_disagreements() -> None:
    folder = evaluation.LABELS_DIR
    for first_file, (second_file, third_file) in evaluation.LATER_LABELS.items():
        fields = evaluation.LABEL_FIELDS[first_file]
        keys = evaluation.KEY_COLUMNS[first_file]
        disagreements = sorted(
            tuple(b[k] for k in ("company_slug", "job_id")[:keys])
            for a, b in evaluation._paired(folder, first_file, second_file, keys)
            if any(a[f] != b[f] for f in fields)
        )
        third = evaluation._paired(folder, first_file, third_file, keys)
        assert sorted(tuple(b[k] for k in ("company_slug", "job_id")[:keys]) for _, b in third) == (
            disagreements
        )
        for _, row in third:
            assert row["confidence"] in {"high", "medium", "low"}
            for f in fields:
                codes = evaluation.ROLE_FAMILIES if f == "role_family" else evaluation.SECTOR_CODES
                assert row[f] in {*codes, ""} if f == "sector_secondary" else row[f] in codes


def test_unheard_eval_agreement_prints_the_repo_labels_agreement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipelines import cli

    assert cli.main(["eval", "--agreement"]) == 0
    out = capsys.readouterr().out
    agreement = evaluation.labeller_agreement()
    assert f"over {agreement.sectors.count} companies" in out
    assert f"over {agreement.roles.count} postings" in out
    assert f"{len(agreement.differences)} items labelled differently" in out


def test_unheard_eval_on_the_holdout_prints_the_second_labeller_for_scale(
    dataset: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipelines import cli

    realdata, labels = dataset
    monkeypatch.setattr(evaluation, "LABELS_DIR", labels)
    (labels / "second_labeller_sectors.csv").write_text(
        "company_slug,sector_primary,sector_secondary,confidence,note\ncoinly,finance,,high,bank\n",
        encoding="utf-8",
    )
    (labels / "second_labeller_roles.csv").write_text(
        "company_slug,job_id,role_family,confidence,note\n"
        "coinly,b1,analytics,high,dashboards\ncoinly,b2,data_science,high,credit models\n",
        encoding="utf-8",
    )
    assert cli.main(["eval", "--realdata", str(realdata), "--split", "holdout"]) == 0
    out = capsys.readouterr().out
    assert "Tagging evaluation, split=holdout" in out
    # no important company in this gold: the flag's F1 is undefined, the rest agree fully
    assert out.rstrip().endswith(
        "important-problem F1 -, ML flag F1 1.000, role family 0.500, sector primary 1.000"
    )

    # a third labeller settles b2 (first ml_engineering, second data_science): the default
    # gold follows the majority, --gold first the first labeller
    write_labels(labels, "third_labeller_roles.csv", "coinly,b2,data_science,high,x")
    accuracy = {}
    for gold in ("votes", "first"):
        assert cli.main(["eval", "--realdata", str(realdata), "--gold", gold]) == 0
        out = capsys.readouterr().out
        assert f"split=holdout, gold={gold}" in out
        accuracy[gold] = out.split("Role family: accuracy ")[1].split()[0]
    predicted_b2 = evaluation.classify_role(
        "Data Scientist", "Data", "Data", BANK_ABOUT + "Credit risk models."
    ).role_family
    assert predicted_b2 == "data_science"
    assert (accuracy["votes"], accuracy["first"]) == ("1.000", "0.500")
