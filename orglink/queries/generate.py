"""``python -m orglink.queries.generate``: rewrite the ``.cypher`` files of the generated
lookups from their specs (:mod:`orglink.queries.catalogue_lookups`)."""

from __future__ import annotations

import sys

from orglink.queries.lookups import write_files


def main() -> None:
    """Rewrite what is out of date and say which files changed."""
    done = write_files()
    sys.stdout.write("".join(f"rewrote orglink/queries/{n}.cypher\n" for n in done) or "all up to date\n")


if __name__ == "__main__":
    main()
