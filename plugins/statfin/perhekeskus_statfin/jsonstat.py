"""Decoding a json-stat2 dataset into a frame of codes and values, by its dimension order and sizes.

Why not a library: PyPI's json-stat readers (``pyjstat``, last release 2023; ``jsonstat-py``, 2017)
build frames of *labels*, while the source needs the *codes* (``KU837``, ``2024``) and must keep a
``null`` as missing; the format is small enough to decode exactly (json-stat.org/format): ``value`` is
row-major over ``id`` with the last dimension changing fastest, each dimension's ``category.index``
is an array of codes or an object code → position, and ``value`` may be an array or a sparse object
position → value. A ``null`` (or an absent position) is a missing cell, never zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


class JsonStatError(ValueError):
    """The document is not a json-stat2 dataset the decoder can read; the message says what is wrong."""


@dataclass
class Dataset:
    """A decoded dataset: one row per cell, a column of codes per dimension and ``value`` (NaN = null)."""

    frame: pd.DataFrame
    dimensions: list[str]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)
    updated: str | None = None


def _codes(dim_id: str, dimension: dict[str, Any], size: int) -> tuple[list[str], dict[str, str]]:
    category = dimension.get("category") or {}
    index = category.get("index")
    labels = category.get("label") or {}
    if index is None:
        if size == 1 and len(labels) == 1:  # a single category may come without an index
            index = list(labels)
        else:
            raise JsonStatError(f"dimension {dim_id!r} has no category index")
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [None] * len(index)
        for code, position in index.items():
            if not isinstance(position, int) or not 0 <= position < len(index) or codes[position] is not None:
                raise JsonStatError(f"dimension {dim_id!r}: bad index position {position!r} for {code!r}")
            codes[position] = str(code)
    else:
        raise JsonStatError(f"dimension {dim_id!r}: the index is neither an array nor an object")
    if len(codes) != size:
        raise JsonStatError(f"dimension {dim_id!r} has {len(codes)} categories but size {size}")
    return codes, {str(k): str(v) for k, v in labels.items()}


def _number(value: Any) -> float:
    if value is None or isinstance(value, bool):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan  # a status symbol such as "." or ".." in a value position: missing


def decode(document: dict[str, Any]) -> Dataset:
    """One json-stat2 dataset → :class:`Dataset`. Raises :class:`JsonStatError` on a malformed one."""
    if not isinstance(document, dict) or document.get("class", "dataset") != "dataset":
        raise JsonStatError("not a json-stat2 dataset (class is not 'dataset')")
    ids, sizes = document.get("id"), document.get("size")
    dimensions = document.get("dimension") or {}
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise JsonStatError("'id' and 'size' are missing or of different lengths")
    sizes = [int(s) for s in sizes]
    total = int(np.prod(sizes)) if sizes else 0
    columns: dict[str, np.ndarray] = {}
    labels: dict[str, dict[str, str]] = {}
    for position, (dim_id, size) in enumerate(zip(ids, sizes, strict=True)):
        if dim_id not in dimensions:
            raise JsonStatError(f"dimension {dim_id!r} is listed in 'id' but not described")
        codes, labels[dim_id] = _codes(dim_id, dimensions[dim_id], size)
        inner = int(np.prod(sizes[position + 1 :])) if position + 1 < len(sizes) else 1
        outer = int(np.prod(sizes[:position])) if position else 1
        columns[dim_id] = np.tile(np.repeat(np.array(codes, dtype=object), inner), outer)
    raw = document.get("value")
    if isinstance(raw, list):
        if len(raw) != total:
            raise JsonStatError(f"'value' has {len(raw)} cells where the sizes give {total}")
        values = np.array([_number(v) for v in raw], dtype="float64")
    elif isinstance(raw, dict):
        values = np.full(total, np.nan)
        for key, value in raw.items():
            index = int(key)
            if not 0 <= index < total:
                raise JsonStatError(f"'value' position {key} is outside the {total} cells")
            values[index] = _number(value)
    else:
        raise JsonStatError("'value' is missing")
    frame = pd.DataFrame(columns)
    frame["value"] = values
    roles = {k: list(v) for k, v in (document.get("role") or {}).items() if isinstance(v, list)}
    return Dataset(frame, list(ids), labels, roles, document.get("updated"))
