"""``python -m showclear``."""

from showclear.cli import main

main()
