"""``python -m dean06`` runs the command line; Ctrl-C before it is ready is one line."""

import sys

try:
    from dean06.cli import app

    app(prog_name="dean06")
except KeyboardInterrupt:
    print("interrupted before anything was read", file=sys.stderr)
    sys.exit(130)
