"""Allow ``python -m avtal``."""

from avtal.cli import main

main()
