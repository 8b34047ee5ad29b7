"""The store of competence and capacity coordination: competences (actor × competence × level), weekly
capacity (actor × ISO week: available and booked hours) and queues (competence × municipality × week:
families waiting, since when), each change with its history.

- :mod:`.repository`: checks and writes with history, the editor's scope, reading back;
- :mod:`.sheets`, :mod:`.importer`, :mod:`.template`: the CSV/XLSX import (all rows or none) and its template;
- :mod:`.cli`: ``perhekeskus capacity template|import|demo``; :mod:`.demo`: invented, labelled figures;
- :mod:`.routes`: ``/osaaminen/tuonti``, ``/osaaminen/malli.xlsx|.csv``, ``/osaaminen/kirjaus``,
  ``/osaaminen/historia``;
- :mod:`.source`: the ``capacity`` warehouse source (aggregates only).
"""
