"""``python -m commissioning`` runs the command line."""

from commissioning.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
