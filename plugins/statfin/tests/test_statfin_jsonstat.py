"""json-stat2 decoding by dimension order and sizes; null stays missing."""

from __future__ import annotations

import math

import pytest
from perhekeskus_statfin.jsonstat import JsonStatError, decode


def dataset(value, index_a=None, index_b=None):
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ["alue", "vuosi"],
        "size": [2, 3],
        "dimension": {
            "alue": {"category": {"index": index_a or {"KU837": 0, "SSS": 1}}},
            "vuosi": {"category": {"index": index_b or ["2022", "2023", "2024"]}},
        },
        "value": value,
        "updated": "2025-04-04T05:00:00Z",
        "role": {"time": ["vuosi"], "geo": ["alue"]},
    }


def cell(frame, area, year):
    row = frame[(frame["alue"] == area) & (frame["vuosi"] == year)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def test_row_major_order_last_dimension_fastest():
    found = decode(dataset([1, 2, 3, 4, 5, 6]))
    assert cell(found.frame, "KU837", "2022") == 1
    assert cell(found.frame, "KU837", "2024") == 3
    assert cell(found.frame, "SSS", "2022") == 4
    assert found.updated == "2025-04-04T05:00:00Z"
    assert found.roles["time"] == ["vuosi"]


def test_object_index_positions_decide_order_not_key_order():
    found = decode(dataset([1, 2, 3, 4, 5, 6], index_a={"SSS": 1, "KU837": 0}))
    assert cell(found.frame, "KU837", "2023") == 2


def test_null_is_missing_not_zero_and_sparse_values():
    dense = decode(dataset([1, None, 3, 0, 5, 6])).frame
    assert math.isnan(cell(dense, "KU837", "2023"))
    assert cell(dense, "SSS", "2022") == 0
    sparse = decode(dataset({"0": 7, "5": 9})).frame
    assert cell(sparse, "KU837", "2022") == 7 and cell(sparse, "SSS", "2024") == 9
    assert math.isnan(cell(sparse, "SSS", "2023"))


def test_wrong_sizes_are_refused():
    with pytest.raises(JsonStatError, match="5 cells"):
        decode(dataset([1, 2, 3, 4, 5]))
    with pytest.raises(JsonStatError, match="size"):
        decode(dataset([1, 2, 3, 4, 5, 6], index_b=["2022", "2023"]))
