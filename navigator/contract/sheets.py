"""The sheets and columns of SHEET_FORMAT.md, declared once."""

from __future__ import annotations

from dataclasses import dataclass

COMMON_WORKBOOK_NAMES = ("common.xlsx", "common.xlsm")


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False  # the header must be there and the cell filled
    key: bool = False  # identifies the header row
    markdown: bool = False


@dataclass(frozen=True)
class TableSpec:
    sheet: str
    columns: tuple[Column, ...]

    @property
    def key_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.key)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


@dataclass(frozen=True)
class KeyValueSpec:
    sheet: str
    items: tuple[Column, ...]  # header = the 項目 name

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(item.header for item in self.items)


SETTINGS = KeyValueSpec("設定", (
    Column("サイト名", required=True),
    Column("自治体名", required=True),
    Column("はじめに", markdown=True),
    Column("問い合わせ先"),
    Column("注意事項", markdown=True),
    Column("お知らせ", markdown=True),
))

QUESTIONS = TableSpec("質問", (
    Column("質問ID", required=True, key=True),
    Column("質問文", required=True),
    Column("補足説明", markdown=True),
    Column("回答形式", required=True),
    Column("選択肢"),
    Column("単位"),
    Column("表示条件"),
))

CATEGORIES = TableSpec("分類", (
    Column("分類名", required=True, key=True),
    Column("説明"),
))

DEPARTMENT = KeyValueSpec("部署", (
    Column("部署名", required=True),
    Column("電話番号"),
    Column("メール"),
    Column("窓口"),
))

PROGRAMS = TableSpec("制度", (
    Column("制度ID", required=True, key=True),
    Column("制度名", required=True, key=True),
    Column("分類", required=True),
    Column("概要", required=True, markdown=True),
    Column("対象者", markdown=True),
    Column("支援内容", markdown=True),
    Column("申請期限"),
    Column("申請方法", markdown=True),
    Column("必要書類"),
    Column("問い合わせ先"),
    Column("オンライン申請URL"),
    Column("詳細URL"),
    Column("公開"),
    Column("備考"),
))

# Key/value sheets have these two headers.
KEY_HEADER = "項目"
VALUE_HEADER = "値"

# How many rows from the top may hold titles and notes before the header row.
HEADER_SEARCH_ROWS = 10

# Marks, compared after normalisation (NFKC folds full-width forms and `Ｔｒｕｅ`).
CONDITION_MARKS = frozenset({"○", "〇", "◯", "●", "✓", "✔", "1", "TRUE"})
# `✕` and `x` are accepted beyond SHEET_FORMAT.md: they mean "no" in 公開 too.
NO_MARKS = frozenset({"", "×", "✕", "x", "X", "-", "0", "FALSE"})
PUBLISHED_VALUES = frozenset({"", "○", "〇", "◯", "1", "TRUE", "公開"})
UNPUBLISHED_VALUES = frozenset({"×", "✕", "x", "X", "-", "0", "FALSE", "非公開"})
# In a 数値 condition column, these mean "does not matter".
NO_RANGE = frozenset({"", "-", "×", "✕"})

ANSWER_TYPE_NAMES = ("単一選択", "複数選択", "数値")

QUESTION_ID_FORBIDDEN = set(':=,、#&?/%"\'<>')
QUESTION_ID_MAX = 32
PROGRAM_ID_MAX = 64

# Limits that keep a mistake (or a hostile file) from exhausting the machine: each is far above
# what any city needs, and each is reported with the file (and sheet and cell) that went over it.
# docs/limits.md explains them; a real department workbook is tens of kilobytes.
MAX_FILE_BYTES = 100 * 1024 * 1024  # a workbook file, as stored
MAX_XML_BYTES = 100 * 1024 * 1024  # the parts of one workbook that are read, once unzipped
MAX_ROWS = 10_000  # rows of a sheet that is read (設定, 質問, 分類, 部署, 制度)
MAX_COLUMNS = 2_000  # columns of such a sheet (column BXX)
MAX_CELLS = 2_000_000  # the used area of such a sheet, rows × columns
MAX_CELL_CHARS = 32_767  # characters in one cell: Excel's own limit
# The sheets navigator reads; a workbook's other sheets are never read at all.
READ_SHEETS = tuple(spec.sheet for spec in (SETTINGS, QUESTIONS, CATEGORIES, DEPARTMENT, PROGRAMS))
