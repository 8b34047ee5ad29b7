"""The network survey: a coordinator opens a round with a roster, each respondent answers through a
personal link without an account, and the answers become the round's ties.

Modules: :mod:`.links` (tokens and their hashes), :mod:`.rounds` (the coordinator's side of the store),
:mod:`.answers` (the respondent's side), :mod:`.roster_csv` (a pasted or uploaded roster),
:mod:`.coordinator` and :mod:`.respondent` (the server-rendered pages), :mod:`.hooks` (what the part adds
to the product).
"""
