"""The DuckDB warehouse: schema migrations, write-audit-publish, and read queries.

Everything else in the product reads the published file ``$PERHEKESKUS_HOME/warehouse.duckdb``;
only a flow writes, and only to a staging copy that is published by an atomic rename.
"""
