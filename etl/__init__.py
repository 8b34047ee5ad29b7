"""Scheduled ETL: Prefect flows that bring open statistics into the warehouse."""
