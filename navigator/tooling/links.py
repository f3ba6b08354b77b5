"""`navigator check --links`: every web address of the programs opened once, each dead one a warning on its cells.

The addresses are the オンライン申請URL and 詳細URL cells and the links written in the Markdown cells
(`[詳しく](https://…)`, `<https://…>`). They are fetched concurrently, each address once however many
cells use it, redirects followed, within a timeout. A page that answers 400 or more, a name that does
not resolve, a refused connection, a redirect loop or no answer in time makes a `dead-link` warning
on every cell that uses it. httpx does the fetching: timeouts, redirects and a pooled keep-alive client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from navigator.contract import problem_kinds as kinds
from navigator.contract import sheets as schema
from navigator.contract.problems import Report
from navigator.model import Program

DEFAULT_TIMEOUT = 10.0  # seconds, for each address
CONCURRENCY = 16  # addresses fetched at once
MAX_REDIRECTS = 10
USER_AGENT = "navigator-link-check"
# A link in Markdown: [text](address "title") or <address>; only web addresses are fetched.
MARKDOWN_LINK = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)>?|<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class Use:
    """A cell that holds an address."""

    file: str
    sheet: str
    cell: str | None
    header: str


def link_uses(programs: Iterable[Program]) -> dict[str, list[Use]]:
    """Each web address, in the order first met, with every cell that uses it."""
    found: dict[str, list[Use]] = {}
    for program in programs:
        sheet = program.cells.sheet or schema.PROGRAMS.sheet
        for column in schema.PROGRAMS.columns:
            value = getattr(program, column.field, None)
            if not isinstance(value, str) or not value:
                continue
            if column.kind == "url":
                addresses = [value] if value.startswith(("http://", "https://")) else []
            elif column.kind == "markdown":
                addresses = [a or b for a, b in MARKDOWN_LINK.findall(value)]
            else:
                continue
            for address in dict.fromkeys(addresses):
                found.setdefault(address, []).append(Use(program.file, sheet, program.cells.get(column.header),
                                                         column.header))
    return found


def _reason(client, address: str, timeout: float) -> str | None:
    """Why the address cannot be opened, in words, or None when it opens."""
    import httpx

    try:
        with client.stream("GET", address) as response:  # the status is enough: the body is not read
            if response.status_code >= 400:
                return f"HTTP {response.status_code}"
    except httpx.TooManyRedirects:
        return "転送が繰り返されて、ページにたどり着きません"
    except httpx.TimeoutException:
        return f"{timeout:g}秒待っても応答がありません"
    except httpx.HTTPError:  # the name does not resolve, the connection is refused or broken, a bad address
        return "サーバーにつながりません"
    return None


def dead_links(uses: dict[str, list[Use]], timeout: float = DEFAULT_TIMEOUT) -> dict[str, str]:
    """The addresses that cannot be opened, with why; each fetched once, CONCURRENCY at a time.

    Threads sharing one pooled client, not asyncio: the caller may already run an event loop.
    """
    import httpx

    if not uses:
        return {}
    with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout,
                      headers={"User-Agent": USER_AGENT}, limits=httpx.Limits(max_connections=CONCURRENCY)) as client, \
            ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        reasons = dict(zip(uses, pool.map(lambda address: _reason(client, address, timeout), uses)))
    return {address: why for address, why in reasons.items() if why is not None}


def check_links(programs: Iterable[Program], report: Report, timeout: float = DEFAULT_TIMEOUT) -> int:
    """Add a dead-link warning to `report` for each cell of each dead address. Returns how many addresses were fetched."""
    uses = link_uses(programs)
    for address, why in dead_links(uses, timeout).items():
        for use in uses[address]:
            report.add(kinds.DEAD_LINK, file=use.file, sheet=use.sheet, cell=use.cell, header=use.header, url=address,
                       reason=why)
    return len(uses)
