"""`python -m gapkb` runs the command line."""

from gapkb.cli import main

main()
