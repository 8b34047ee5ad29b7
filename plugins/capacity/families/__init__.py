"""Family teams of competence and capacity coordination: pseudonymous families, their workers and
meetings, the coordinator's and the worker's pages, the pile-up rule and the ``capacity-retention`` job.

Nothing here identifies a family: a family is a random code made by the store, its municipality and its
coordinator; every form value is chosen from a list. See ``repository`` (the tables and the audit),
``pileup`` (the warning rule), ``retention`` (what is deleted and how) and ``routes`` (the pages; a
meeting, planned by the coordinator or by a worker of the team for themselves, is saved only after a check
page has shown the family's other meetings of that week and any pile-up in words)."""
