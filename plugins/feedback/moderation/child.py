"""Heavy work of the moderation part in a child process, so web workers stay small.

Why: simplemma's Finnish dictionary takes about 350 MB of memory once loaded (Swedish and English another
120 MB), and a warehouse run imports Great Expectations. A web worker that loaded them for one queue view
would keep them for its whole life, in every worker. A child process (the same interpreter, the same
settings) does the work and gives the memory back when it exits.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

TIMEOUT_SECONDS = 600.0
LOCKED = 75  # EX_TEMPFAIL: another run holds the warehouse lock; try again later


def child_env(settings: Any) -> dict[str, str]:
    """The environment under which ``Settings.from_env()`` in the child gives ``settings`` (its data
    folder, its province file and its plugin settings)."""
    env = dict(os.environ)
    env["PERHEKESKUS_HOME"] = str(settings.home)
    if getattr(settings, "areas_file", None):
        env["PERHEKESKUS_PROVINCE_FILE"] = str(settings.areas_file)
    for plugin, values in (getattr(settings, "plugins", None) or {}).items():
        prefix = f"PERHEKESKUS_{plugin.upper().replace('-', '_')}_"
        for name, value in (values or {}).items():
            env[prefix + name.upper()] = str(value)
    return env


def run_child(module: str, settings: Any, timeout: float = TIMEOUT_SECONDS) -> int:
    """Run ``python -m module`` under ``settings`` and return its exit code (its output goes to this
    process's log streams)."""
    completed = subprocess.run(
        [sys.executable, "-m", module], env=child_env(settings), timeout=timeout, check=False
    )
    return completed.returncode
