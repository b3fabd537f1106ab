"""``python -m dean06`` runs the command line."""

from dean06.launch import main

main()
