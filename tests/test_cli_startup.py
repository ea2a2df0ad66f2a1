"""Read-only commands start fast: they must not import spaCy or the other heavy libraries.

Checked in a fresh interpreter through `sys.modules`, never by timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.store import Store

SRC = Path(__file__).resolve().parent.parent / "src"
# Libraries that cost a second or more to import and that listing a store never needs.
HEAVY = ("spacy", "thinc", "numpy", "scipy", "datasketch", "pandas", "pyarrow", "pyspark", "dateparser",
         "trafilatura", "networkx", "starlette", "tqdm")

PROBE = """
import json, sys
import click
from newsgraph.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="newsgraph", standalone_mode=False)
except (SystemExit, click.ClickException):  # e.g. no such article in the empty store
    pass
print("\\nLOADED " + json.dumps(sorted(sys.modules)))
"""


def loaded_after(args: list[str]) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = {m.split(".")[0] for m in json.loads(done.stdout.rsplit("LOADED ", 1)[1])}
    return loaded & set(HEAVY)


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("startup") / "s.db"
    Store(db).close()
    return db


@pytest.mark.parametrize("args", [
    ["--version"], ["--help"], ["actors"], ["events", "--since", "2024"], ["claims"], ["articles"],
    ["stories"], ["search", "talks"], ["graph"], ["datasette-metadata"], ["digest", "--story", "1"],
    ["show", "abc"], ["timeline", "Tolen"], ["family", "abc"], ["relations", "Miravia", "Tolen"],
])
def test_cli_read_only_commands_do_not_import_heavy_libraries(args, empty_db):
    needs_db = args[0] not in ("--version", "--help", "datasette-metadata")
    assert loaded_after(args + (["--db", str(empty_db)] if needs_db else [])) == set()
