"""The network map's view: the ``/verkosto`` page (dash-cytoscape map, table, figures, the three
questions' answers, comparison of rounds), its summary panel and its exports (GraphML, GEXF, CSV).

Names are decided once per request on the server (:mod:`.shown`): everything the view builds is built
from a network whose ids are opaque and whose names are pseudonyms unless the reader may see names.
"""
