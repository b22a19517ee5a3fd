"""``python -m web …`` is the ``loket`` command (how ``loket serve`` starts its worker)."""

from web.cli import main

main()
