"""``python -m kg.cli``: the ``kg`` command without its installed script."""

from kg.cli import main

main()
