"""Supply and demand of competence, the warnings and "who has free competence near Y": pure functions
over the model's records (:mod:`.supply`, :mod:`.warnings`, :mod:`.finder`, :mod:`.suppress`), and the
SQL readers that fetch those records from the operational store (:mod:`.read`). No text and no Dash here:
the views part words and draws what these return."""
