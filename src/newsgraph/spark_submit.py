"""`newsgraph spark` for `spark-submit`: a driver file holds

    from newsgraph.spark_submit import main; main()

and spark-submit passes it the command's arguments. It lives apart from `spark.py` because
it runs the CLI, which itself imports `spark.py`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from .cli import cli

    cli(["spark", *(sys.argv[1:] if argv is None else argv)])
