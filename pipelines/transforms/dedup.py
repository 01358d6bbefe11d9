"""Deduplicate across sources: the same role on a company's ATS board and elsewhere.

Within a source the board's own id decides. Across boards, a pair merges only when every
signal agrees — same company, same title root and level, same place (the SQL blocking in
`warehouse/core/dedup_candidates.sql`) AND near-identical text — because wrongly merging
two real roles loses one, while a missed merge only shows a role twice. Every merge is a
row of `core.posting_merges` with its reason.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from rapidfuzz import fuzz

from warehouse import read_sql

TEXT_SIMILARITY_MIN = 92.0  # rapidfuzz ratio (0-100) over the first TEXT_CHARS characters
TEXT_CHARS = 4_000
# a company's own applicant tracking system is the better record than an aggregator's copy
SOURCE_RANK = {"schemaorg": 1, "rss": 2}

MERGE_SCHEMA = pa.schema(
    [
        ("kept_key", pa.string()),
        ("merged_key", pa.string()),
        ("reason", pa.string()),
        ("text_similarity", pa.float64()),
    ]
)


def find_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Write `core.posting_merges` (kept_key, merged_key, reason, text_similarity)."""
    pairs = con.sql(read_sql("core/dedup_candidates.sql")).to_arrow_table().to_pylist()
    texts = _texts(con, {key for p in pairs for key in (p["left_key"], p["right_key"])})
    similar = []
    for pair in pairs:
        # with score_cutoff rapidfuzz gives up on a pair as soon as it cannot reach the
        # threshold (it returns 0 then, the exact ratio otherwise): 4x faster at 100k postings,
        # where most candidate pairs share a title and company but not the text
        similarity = fuzz.ratio(
            texts.get(pair["left_key"], ""),
            texts.get(pair["right_key"], ""),
            score_cutoff=TEXT_SIMILARITY_MIN,
        )
        if similarity >= TEXT_SIMILARITY_MIN:
            similar.append((similarity, pair))
    # the most similar pairs first (then by key): a posting similar to two listings merges
    # with the closer one, and the result does not depend on the order the join returned
    # the pairs in (it did: two runs on the same warehouse could merge differently)
    similar.sort(key=lambda item: (-item[0], item[1]["left_key"], item[1]["right_key"]))
    merges: dict[str, dict] = {}
    for similarity, pair in similar:
        kept, merged = _order(pair)
        if merged in merges or kept in merges:
            continue  # keep chains flat: a posting is merged into one kept posting at most
        merges[merged] = {
            "kept_key": kept,
            "merged_key": merged,
            "text_similarity": round(similarity, 1),
            "reason": (
                f"same company, title and place on two boards; text {similarity:.0f}% similar"
            ),
        }
    con.register("merge_batch", pa.Table.from_pylist(list(merges.values()), schema=MERGE_SCHEMA))
    con.execute("create or replace table core.posting_merges as select * from merge_batch")
    con.unregister("merge_batch")
    return len(merges)


def _order(pair: dict) -> tuple[str, str]:
    left = (SOURCE_RANK.get(pair["left_source"], 0), pair["left_first_seen_at"], pair["left_key"])
    right = (
        SOURCE_RANK.get(pair["right_source"], 0),
        pair["right_first_seen_at"],
        pair["right_key"],
    )
    return (
        (pair["left_key"], pair["right_key"])
        if left <= right
        else (pair["right_key"], pair["left_key"])
    )


def _texts(con: duckdb.DuckDBPyConnection, keys: set[str]) -> dict[str, str]:
    if not keys:
        return {}
    # the latest version's text, joined directly: core.core_postings (a view) would join
    # every posting's lifecycle and version counts to return a few thousand texts
    rows = con.execute(
        f"select p.posting_key, lower(left(coalesce(v.description_text, ''), {TEXT_CHARS})) "
        "from core.core_posting_latest as p "
        "join staging.stg_posting_versions as v using (content_hash) "
        "where p.posting_key in (select unnest($keys))",
        {"keys": sorted(keys)},
    ).fetchall()
    return {key: " ".join(text.split()) for key, text in rows}
