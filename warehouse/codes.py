"""The closed code sets of TAXONOMY.md that the registry, the taggers and SQL users share.

They are a contract with SQL users: the marts' columns hold exactly these codes (the
expectation suites check it) and sectors.yaml must list the same sectors (its loader checks).
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
# the problems worth solving: every sector before finance
IMPORTANT_SECTORS: frozenset[str] = frozenset(SECTOR_CODES[:9])
PROMINENCE_CODES: tuple[str, ...] = ("household", "known", "unheard")
