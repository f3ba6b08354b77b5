"""The site snapshot: a small fixture city built into tests/snapshots/site/.

Regenerate after an intended change to the templates or the renderer, then review the diff:

    .venv/bin/python tests/snapshot.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from sheetmaker import PROGRAM_HEADERS, PROGRAMS, SETTINGS, program_row, write_common, write_department  # noqa: E402

from navigator.pipeline import build  # noqa: E402

SNAPSHOT = Path(__file__).parent / "snapshots" / "site"
BUILD_DATE = dt.date(2026, 7, 1)  # the site's only time-dependent value (更新情報)


def fixture_city(folder: Path) -> Path:
    """The small city of sheetmaker, with a notice, Markdown and a second department."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = [row if row[0] != "お知らせ" else ["お知らせ", "**避難所**の情報は[防災ページ](https://city.test.example.jp/bousai)へ"]
                for row in SETTINGS]
    write_common(folder, settings=settings)
    write_department(folder, programs=PROGRAMS)
    write_department(
        folder, name="住宅課.xlsx",
        department=[["項目", "値"], ["部署名", "都市整備局 住宅課"], ["電話番号", "012-345-0002"]],
        headers=PROGRAM_HEADERS,
        title_rows=[["令和8年7月豪雨 住宅課の制度"], []],
        programs=[
            program_row("oukyu-shuri", "住宅の応急修理", category="住まい",
                        概要="壊れた住まいを**市が業者に依頼して**修理します。\n\n- 屋根\n- 台所",
                        支援内容="1世帯あたり739,000円まで", 申請期限="令和9年3月31日",
                        オンライン申請URL="https://apply.city.test.example.jp/shuri",
                        詳細URL="https://city.test.example.jp/shuri",
                        問い合わせ先="応急修理受付センター\n電話 0120-111-222",
                        **{"住家被害:大規模半壊": "○", "住家被害:半壊": "○"}),
        ],
    )
    return folder


def build_fixture_site(out: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        result = build(fixture_city(Path(work) / "sheets"), out, today=BUILD_DATE)
        assert result.ok, [str(p) for p in result.validation.report.problems]


def snapshot_files(site: Path) -> list[str]:
    """The files the snapshot pins: everything built from the sheets (static/ is a plain copy)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and not p.relative_to(site).as_posix().startswith("static/"))


def main() -> None:
    if SNAPSHOT.exists():
        shutil.rmtree(SNAPSHOT)
    build_fixture_site(SNAPSHOT)
    shutil.rmtree(SNAPSHOT / "static")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
