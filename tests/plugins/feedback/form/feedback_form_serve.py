"""Serve the feedback form alone (the core's access layer and the form's blueprint) on a loopback port,
as one worker process of several sharing one data folder: ``python feedback_form_serve.py HOME PORT``.
Prints ``ready`` when it accepts connections."""

from __future__ import annotations

import sys
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).parent))
from feedback_form_support import build_server


def main() -> None:
    home, port = Path(sys.argv[1]), int(sys.argv[2])
    server = make_server("127.0.0.1", port, build_server(home, form_rate_limit="off"), threaded=True)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
