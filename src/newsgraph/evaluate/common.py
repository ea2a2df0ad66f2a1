"""What every evaluator shares: reading a gold JSON Lines file, line by line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..errors import EvalError
from ..types import PathLike

T = TypeVar("T")


def read_gold_lines(path: PathLike, parse: Callable[[str, str], T], *, code: str, what: str) -> list[T]:
    """Parse every non-blank line of a gold file with `parse(line, "path:line")`.

    Raises:
        EvalError: the file is missing (`code` names the error), or `parse` refused a line.
    """
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"{code}: gold file {path} not found. Give the path of a {what} JSON Lines file.")
    with path.open(encoding="utf-8") as f:
        return [parse(line, f"{path}:{lineno}") for lineno, line in enumerate(f, 1) if line.strip()]
