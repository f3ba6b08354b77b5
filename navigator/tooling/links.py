"""`navigator check --links`: every web address of the programs opened once, each dead one a warning on its cells.

The addresses are the オンライン申請URL and 詳細URL cells and the links written in the Markdown cells
(`[詳しく](https://…)`, `<https://…>`) of the programs, and of common.xlsx (設定, 補足説明, 書類's 説明). They are fetched concurrently, each address once however many
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
from navigator.model import Program, Site

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


def common_link_uses(site: Site, common_file: str, found: dict[str, list[Use]] | None = None) -> dict[str, list[Use]]:
    """The links written in common.xlsx, added to `found`: 設定's Markdown 項目 (はじめに, 注意事項, お知らせ), each
    question's 補足説明 and each document's 説明 (the 設定 and 書類 rows keep no cell on the model: their 項目 and
    書類名 say where)."""
    found = {} if found is None else found

    def use(text: str, where: Use) -> None:
        for address in dict.fromkeys(a or b for a, b in MARKDOWN_LINK.findall(text or "")):
            found.setdefault(address, []).append(where)

    for item in schema.SETTINGS.items:
        if item.kind == "markdown":
            use(getattr(site.settings, item.field), Use(common_file, schema.SETTINGS.sheet, None, f"設定「{item.header}」"))
    for question in site.questions:
        use(question.help, Use(common_file, question.cells.sheet or schema.QUESTIONS.sheet, question.cells.get("補足説明"),
                               f"質問「{question.id}」の補足説明"))
    for document in site.documents:
        use(document.description, Use(common_file, schema.DOCUMENTS.sheet, None, f"書類「{document.name}」の説明"))
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


def check_links(programs: Iterable[Program], report: Report, timeout: float = DEFAULT_TIMEOUT,
                site: Site | None = None, common_file: str = "common.xlsx") -> int:
    """Add a dead-link warning to `report` for each cell of each dead address (with `site`, common.xlsx's links too).
    Returns how many addresses were fetched."""
    uses = link_uses(programs)
    if site is not None:
        common_link_uses(site, common_file, uses)
    for address, why in dead_links(uses, timeout).items():
        for use in uses[address]:
            report.add(kinds.DEAD_LINK, file=use.file, sheet=use.sheet, cell=use.cell, header=use.header, url=address,
                       reason=why)
    return len(uses)
