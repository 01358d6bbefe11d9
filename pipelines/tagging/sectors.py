"""The sector codes (TAXONOMY.md section 1) and which of them are important problems.

The codes and their importance are a contract with SQL users; sectors.yaml must agree
with them (its loader checks).
"""

from __future__ import annotations

SECTOR_CODES: tuple[str, ...] = (
    "energy",
    "climate",
    "health",
    "life_sciences",
    "agriculture_food",
    "industrial",
    "mobility",
    "education",
    "public_good",
    "finance",
    "software",
    "other",
)
IMPORTANT_SECTORS: frozenset[str] = frozenset(SECTOR_CODES[:9])


def is_important_problem(primary: str | None, secondary: str | None) -> bool | None:
    """True when the primary or secondary sector is an important problem.

    None when both are unknown (unknown is NULL, not False).
    """
    if primary is None and secondary is None:
        return None
    return primary in IMPORTANT_SECTORS or secondary in IMPORTANT_SECTORS
