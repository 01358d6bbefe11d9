"""The reliability suite's figures, summed by the tests and printed in one line at the end
of the run (see conftest.py): faults tried, bad inputs tried, postings sent against
postings stored or quarantined, runs killed and recovered."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tally:
    faults: set[str] = field(default_factory=set)
    bad_inputs: set[str] = field(default_factory=set)
    postings_sent: int | None = None
    postings_accounted: int | None = None  # stored, or quarantined with a reason
    postings_stored: int | None = None
    postings_quarantined: int | None = None  # with a reason (they may be stored as well)
    runs_killed: int = 0
    runs_recovered: int = 0

    def fault(self, *names: str) -> None:
        self.faults.update(names)

    def bad_input(self, *names: str) -> None:
        self.bad_inputs.update(names)

    @property
    def empty(self) -> bool:
        return not (
            self.faults or self.bad_inputs or self.runs_killed or self.postings_sent is not None
        )

    def as_dict(self) -> dict[str, object]:
        """What a pytest-xdist worker sends the controller (plain JSON-able values)."""
        return {
            **self.__dict__,
            "faults": sorted(self.faults),
            "bad_inputs": sorted(self.bad_inputs),
        }

    def merge(self, other: dict[str, object]) -> None:
        """Add a worker's figures: names are unions, counts are sums."""
        self.faults.update(other["faults"])
        self.bad_inputs.update(other["bad_inputs"])
        for name in (
            "postings_sent",
            "postings_accounted",
            "postings_stored",
            "postings_quarantined",
        ):
            if other[name] is not None:
                setattr(self, name, (getattr(self, name) or 0) + other[name])
        self.runs_killed += other["runs_killed"]
        self.runs_recovered += other["runs_recovered"]

    def line(self) -> str:
        if self.postings_sent is None:
            postings = "postings not counted"
        else:
            verdict = "equal" if self.postings_sent == self.postings_accounted else "NOT EQUAL"
            postings = (
                f"postings sent {self.postings_sent} vs stored or quarantined "
                f"{self.postings_accounted} ({verdict}; {self.postings_stored} stored, "
                f"{self.postings_quarantined} quarantined with a reason)"
            )
        return (
            f"reliability: {len(self.faults)} faults tried, {len(self.bad_inputs)} bad inputs "
            f"tried, {postings}, {self.runs_killed} runs killed and "
            f"{self.runs_recovered} recovered"
        )


TALLY = Tally()
