"""The sector codes (TAXONOMY.md section 1) and which of them are important problems.

The codes and their importance are a contract with SQL users; sectors.yaml must agree
with them (its loader checks).
"""

from __future__ import annotations

from warehouse.codes import IMPORTANT_SECTORS, SECTOR_CODES

__all__ = ["IMPORTANT_SECTORS", "SECTOR_CODES", "is_important_problem"]


def is_important_problem(primary: str | None, secondary: str | None) -> bool | None:
    """True when the primary or secondary sector is an important problem.

    None when both are unknown (unknown is NULL, not False).
    """
    if primary is None and secondary is None:
        return None
    return primary in IMPORTANT_SECTORS or secondary in IMPORTANT_SECTORS
