"""The command line, one module per command group, each thin: parse, call one function, print.

`base` holds the group and what the commands share; importing the others registers their commands.
"""

from navigator.cli import authoring, check, site  # noqa: F401 - each registers its commands on the group
from navigator.cli.base import cli, main

__all__ = ["cli", "main"]
