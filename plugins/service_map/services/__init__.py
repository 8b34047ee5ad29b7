"""The services of the service map: what is offered to families, by whom, where and for whom.

Modules, one job each:

- :mod:`.values` – the rules for one service's values (a form and an import row are checked alike);
- :mod:`.repository` – the operational tables (``service`` and friends) with their change history;
- :mod:`.importer` and :mod:`.template` – spreadsheets in and the template out;
- :mod:`.source` – the warehouse source ``service_map`` (the published copy the page reads);
- :mod:`.analysis` – the matrix, gaps, overlaps and chances to collaborate;
- :mod:`.task_indicators` and :mod:`.indicator_view` – the related indicators beside the matrix
  (configured in ``task_indicators.toml``);
- :mod:`.page` – the public Dash page ``/palvelukartta``; :mod:`.routes` – the editors' forms;
- :mod:`.demo` – an invented, clearly labelled service map so that a new installation shows something.
"""
