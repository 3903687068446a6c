#!/usr/bin/env python
"""Django's command-line utility. With no DATABASE_URL/REDIS_URL it starts the embedded services and
brings the embedded database up to date before a command that uses it (see portal/bootstrap.py)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from core.process import tune

    # `runserver` serves sockets too; other commands (indexing, evaluation) search with BLAS.
    tune(serves_sockets="runserver" in sys.argv)
    from portal.bootstrap import execute

    execute(sys.argv)


if __name__ == "__main__":
    main()
