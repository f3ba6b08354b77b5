"""Running the command line in-process, as a user would type it."""

from __future__ import annotations

import pytest

from navigator.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`navigator ARGS...` → (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err
