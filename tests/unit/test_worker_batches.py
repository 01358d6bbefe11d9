"""Batch sizes for the worker processes (pipelines/transforms/database.py)."""

import pytest

from pipelines.transforms.database import balanced_batch_rows


@pytest.mark.parametrize(
    ("rows", "workers", "expected"),
    [
        (2_946, 2, 1_473),  # a daily run's new versions: two equal halves, not 2,000 + 946
        (5_000, 2, 1_250),  # three batches of 2,000 would leave a worker idle: four
        (100_000, 2, 2_000),  # already a multiple of the workers: the largest batch
        (1_500, 2, 2_000),  # one batch stays one batch (done in this process)
        (2_946, 1, 2_000),  # no workers: nothing to balance
        (9_000, 4, 1_125),
    ],
)
def test_batches_are_equal_and_a_multiple_of_the_workers(rows, workers, expected) -> None:
    size = balanced_batch_rows(rows, 2_000, workers)
    assert size == expected
    assert size <= 2_000
    batches = -(-rows // size)
    if batches > 1 and workers > 1:
        assert batches % workers == 0
        assert rows - (batches - 1) * size >= size - batches  # the last batch is not short
