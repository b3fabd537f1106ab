"""``python -m dean06`` runs the command line."""

from dean06.cli import app

app(prog_name="dean06")
