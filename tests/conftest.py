"""Fixtures and hooks for every test. The helpers they are built from (the Sotkanet-shaped server, the
captured fixtures, warehouse queries, CLI environments, fault injection) live in ``support.py``: tests import
them from there (``from support import ...``), never from this file."""

from support import (  # noqa: F401  pytest finds fixtures and hooks by their names in this module
    _clean_plugin_env,
    _loopback_only,
    fixtures_dir,
    package_file,
    prefect_harness,
    published,
    published_template,
    pytest_configure,
    run,
    server,
    settings,
    snapshot,
)
