"""Families' feedback, the views: the "voice of families" panel beside the key indicators, the public
"what families told us" summary and the anonymised export.

Every number, rating, theme count and quote these show comes through :mod:`.aggregate`, the one place
that applies the rule that no group of fewer than five answers is ever shown (``model.MIN_GROUP``),
including the numbers hidden so that a small group cannot be worked out by subtraction.
"""
