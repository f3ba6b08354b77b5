"""The sheets and columns of docs/sheet-format.md, declared once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from navigator.contract.text import normalize_key

COMMON_WORKBOOK_NAMES = ("common.xlsx", "common.xlsm")  # read/folder.py decides with these

ColumnKind = Literal["id", "text", "markdown", "category", "date", "lines", "url", "publish", "answer-type", "memo",
                     "number"]


@dataclass(frozen=True)
class Column:
    """One column (or 項目) of a sheet: everything navigator says about it, in one place.

    The template's input messages and widths, the department guide's tables, the 取りまとめ表's
    columns, diff's labels and the reader's header → field mapping are all made from these.
    """

    header: str  # as written in the sheet (and the label diff shows)
    field: str = ""  # the model's attribute read from it; "" when it is not kept (備考)
    kind: ColumnKind = "text"
    required: bool = False  # the header must be there and the cell filled
    key: bool = False  # identifies the header row
    help: str = ""  # the input message of its cell in the template; the department guide shows it too
    width: float = 0  # in the template (key/value sheets have one width for every 値)
    export_width: float = 0  # in the 取りまとめ表; 0: not exported
    catalog: str = ""  # catalog.json's key, when it is not `field`

    @property
    def catalog_key(self) -> str:
        return self.catalog or self.field


@dataclass(frozen=True)
class TableSpec:
    sheet: str
    columns: tuple[Column, ...]

    # Asked for on every row: made once (a frozen dataclass keeps a cached_property in its __dict__).
    @functools.cached_property
    def key_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.key)

    @functools.cached_property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)


@dataclass(frozen=True)
class KeyValueSpec:
    sheet: str
    items: tuple[Column, ...]  # header = the 項目 name

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(item.header for item in self.items)


# The 自治体名 `navigator init` writes without --city (and puts in サイト名): a 設定 value holding it is still to be rewritten.
PLACEHOLDER_CITY = "〇〇市"

SETTINGS = KeyValueSpec("設定", (
    Column("サイト名", "site_name", required=True, help="必須。サイトの題名。例: さくら市 被災者支援ナビ"),
    Column("自治体名", "municipality", required=True, help="必須。例: さくら市"),
    Column("はじめに", "intro", "markdown", help="トップページの最初に表示する案内文。"),
    Column("問い合わせ先", "contact", help="すべてのページに表示する、全体の問い合わせ先。"),
    Column("注意事項", "disclaimer", "markdown", help="結果といっしょに表示する注意書き。例: 最終的な判断は各担当課が行います。"),
    Column("お知らせ", "notice", "markdown",
           help="急ぎのお知らせ。書くと、すべてのページの上に目立つように表示します。ふだんは空欄です。"),
    Column("窓口の順番", "counter_order", "lines",
           help="窓口モードの手続き案内票で、窓口を並べる順。1行に1つ部署名を書きます。"
                "書かない窓口は、その後に結果の順で並びます。例: 総務部 危機管理課"),
    Column("言語", "languages", "lines",
           help="日本語のほかに公開する言語。1行に1つ言語コードを書きます（easy やさしい日本語、en 英語、zh-Hans、zh-Hant、"
                "ko、vi、tl、pt、ne、id、my、th、es）。訳は 翻訳_<言語コード>.xlsx に書きます。"),
    Column("公開URL", "public_url", "url",
           help="サイトを公開するアドレス。https:// で始め、/ で終わります（例: https://navi.example.lg.jp/）。"
                "書くと、検索エンジン向けのサイトマップと、どのページからも正しく開くリンクを作ります。"),
))

# 公開URL: the address the site's index.html is under, so that page paths can be appended to it.
_PUBLIC_URL = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?/")


def is_public_url(value: str) -> bool:
    """Whether a 公開URL can be used: http(s), a host, a path ending with / (no query, fragment or space)."""
    return _PUBLIC_URL.fullmatch(value) is not None


# Settings shown to residents (the ones a translation workbook carries); the others steer the tool.
RESIDENT_SETTINGS = ("サイト名", "自治体名", "はじめに", "問い合わせ先", "注意事項", "お知らせ")

QUESTIONS = TableSpec("質問", (
    Column("質問ID", "id", "id", required=True, key=True, width=16,
           help="必須。質問の短い名前（32文字まで）。各課のブックの条件列の見出しに使います。"
                "空白・改行と : = , 、 # & ? / % \" ' < > は使えません。例: 住家被害"),
    Column("質問文", "text", required=True, width=40, help="必須。住民が読む質問。例: お住まいの被害の程度は？"),
    Column("補足説明", "help", "markdown", width=40, help="質問の下に表示する説明。"),
    Column("回答形式", "kind", "answer-type", required=True, width=12, catalog="type",
           help="必須。▼ から選びます。単一選択（1つ選ぶ）・複数選択（いくつでも選ぶ）・数値（数を入力）。"),
    Column("選択肢", "choices", "lines", width=30,
           help="単一選択・複数選択のとき必須。1行に1つずつ書きます（セルの中で改行するには Alt+Enter）。"),
    Column("単位", "unit", width=8, help="数値の質問の単位。例: 人、歳、万円"),
    Column("表示条件", "display_conditions", "lines", width=34,
           help="前の質問の答えによって聞くときだけ書きます。1行に1つ「質問ID=選択肢」。例: 住家被害=全壊、大規模半壊"),
    Column("最小値", "minimum", "number", width=8,
           help="数値の質問で受け付けるいちばん小さい数。空欄なら 0（マイナスの数は受け付けません）。例: 1"),
    Column("最大値", "maximum", "number", width=8, help="数値の質問で受け付けるいちばん大きい数。空欄なら上限なし。例: 20"),
))

CATEGORIES = TableSpec("分類", (
    Column("分類名", "name", required=True, key=True, width=24,
           help="必須。制度の分類の名前。ここに書いた順にサイトに並びます。各課は ▼ の一覧から選びます。"),
    Column("説明", "description", width=60, help="分類の説明。分類のページに表示されます。"),
))

# Optional: a city without it is read as before (docs/sheet-format.md, "Additions").
DOCUMENTS = TableSpec("書類", (
    Column("書類名", "name", required=True, key=True, width=28,
           help="必須。住民が持っていく書類の名前。市の中で1つの書類には1つの名前にします。各課の「必要書類」にこの名前を書きます。"
                "例: り災証明書"),
    Column("説明", "description", "markdown", width=40, help="どんな書類かを住民向けに書きます。"),
    Column("入手先", "source", width=32, help="どこで手に入るか。例: 市役所本庁舎1階 税務課、お手元の通帳"),
    Column("発行する制度", "issued_by", width=24,
           help="この書類を出す制度の制度ID（あれば。例: risai）。その制度は結果の「まず最初に」に出ます。"),
))

# Optional, like 書類: words search treats as the same, and readings (docs/sheet-format.md, "Additions").
TERMS = TableSpec("用語", (
    Column("語", "word", required=True, key=True, width=24,
           help="必須。サイトの中の言葉。1つの語は1行だけ書きます。例: り災証明書"),
    Column("読み", "reading", width=24, help="ひらがなの読み。ルビ（ふりがな）に使います。例: りさいしょうめいしょ"),
    Column("同義語", "synonyms", "lines", width=32,
           help="検索で同じ言葉として扱う書き方。1行に1つずつ書きます（セルの中で改行するには Alt+Enter）。例: 罹災証明書"),
))

DEPARTMENT = KeyValueSpec("部署", (
    Column("部署名", "name", required=True, help="必須。課の名前。例: 健康福祉局 福祉課"),
    Column("電話番号", "phone", help="課の電話番号。制度の「問い合わせ先」が空欄のとき、ここが表示されます。例: 012-345-6789"),
    Column("メール", "email", help="課のメールアドレス。なければ空欄にします。"),
    Column("窓口", "office", help="受付の場所と時間。例: 市役所本庁舎1階 平日8時30分〜17時15分"),
))

PROGRAMS = TableSpec("制度", (
    Column("制度ID", "id", "id", required=True, key=True, width=24, export_width=16,
           help="必須。制度ごとに付ける半角の名前（英字・数字・- と _、64文字まで）。ほかの課とも重ならないようにします。"
                "サイトのページのアドレスになります（例: kasetsu-jutaku）。または行には、上の行と同じ制度IDを書きます。"),
    Column("制度名", "name", required=True, key=True, width=28, export_width=24,
           help="必須。住民に表示する制度の名前。例: 応急仮設住宅の提供"),
    Column("分類", "category", "category", required=True, width=18, export_width=12,
           help="必須。▼ の一覧から選びます。一覧は common.xlsx の「分類」シートの分類です。"),
    Column("概要", "summary", "markdown", required=True, width=44, export_width=40,
           help="必須。どんな制度かを1〜2文で書きます。結果の一覧に表示されます。"),
    Column("対象者", "target", "markdown", width=40, export_width=30,
           help="だれが使えるかを文章で書きます。質問では聞いていない条件（所得、住んでいる地域など）もここに書きます。"),
    Column("支援内容", "benefit", "markdown", width=36, export_width=30,
           help="受けられる支援（金額・サービス）を書きます。例: 最大300万円"),
    Column("申請期限", "deadline", "date", width=18, export_width=14,
           help="日付（例: 2027/3/31）か、「随時」「災害発生日から13か月以内」のような文章を書きます。"),
    Column("申請方法", "how_to_apply", "markdown", width=32, export_width=30,
           help="どこで、どうやって申し込むかを書きます（窓口・郵送・オンラインなど）。"),
    Column("必要書類", "documents", "lines", width=30, export_width=24,
           help="1行に1つずつ書きます（セルの中で改行するには Alt+Enter）。common.xlsx に「書類」シートがあれば、その書類名で書き、"
                "この制度での注意は後ろに（　）で書きます。例: り災証明書（写し可）"),
    Column("問い合わせ先", "contact", width=28, export_width=24,
           help="空欄なら「部署」シートの部署名・電話番号・メール・窓口を表示します。ほかの窓口が受け付けるときだけ書きます。"),
    Column("オンライン申請URL", "online_url", "url", width=28, export_width=24,
           help="オンラインで申し込めるページのアドレス。https:// か http:// で始めます。"),
    Column("詳細URL", "detail_url", "url", width=28, export_width=24,
           help="くわしい説明のページのアドレス。https:// か http:// で始めます。"),
    Column("公開", "published", "publish", width=8, export_width=6,
           help="空欄か ○ ならサイトに載せます。× にすると載せません（行を非表示にしても載ります）。"),
    Column("備考", kind="memo", width=28, help="課の中のメモ。サイトには表示されません。"),
))


def compared_labels(spec: TableSpec | KeyValueSpec, identity: str = "") -> dict[str, str]:
    """Catalog key → header of every column kept in the model but `identity` (what names an item)."""
    columns = spec.columns if isinstance(spec, TableSpec) else spec.items
    return {c.catalog_key: c.header for c in columns if c.field and c.field != identity}


def split_document_line(line: str, names: dict[str, str]) -> tuple[str, str] | None:
    """A 必要書類 line as (書類名, note): `り災証明書（写し可）` → (り災証明書, 写し可); None when it names no 書類名.

    `names` maps each normalised 書類名 to the name as written. A note is what follows the name in
    parentheses (full or half width), nothing else.
    """
    key = normalize_key(line)
    if key in names:
        return names[key], ""
    match = re.fullmatch(r"(.+?)\s*\((.*)\)", key)  # NFKC made （） into ()
    if match and match.group(1) in names:
        return names[match.group(1)], match.group(2).strip()
    return None


def _several_outside_notes(line: str) -> bool:
    """、 or , outside the notes in parentheses (`住民票、印鑑証明書`): several documents on one line.

    `本人確認書類（マイナンバーカード、運転免許証など）` is one document with a note (a 書類名 holding 、 is one
    document too: read_document_line asks only of a line that names none)."""
    outside, before = normalize_key(line), None
    while outside != before:  # notes inside notes
        before, outside = outside, re.sub(r"\([^()]*\)", "", outside)
    return bool(re.search(r"[、,]", re.sub(r"\(.*$", "", outside)))  # NFKC made ，､ into , 、


def document_need(line: str, names: dict[str, str]) -> tuple[str, str]:
    """What a 必要書類 line needs, as (document, note): the 書類名 when it names one (split_document_line), else the
    line's own words with a final note in parentheses set apart, so that `住民票` and `住民票（世帯全員分）` are one
    document on the checklist with or without a 書類 sheet."""
    return split_document_line(line, names) or _own_words(line)


def _own_words(line: str) -> tuple[str, str]:
    text = line.strip()
    match = re.fullmatch(r"(.+?)\s*[（(]([^（）()]*)[）)]", text)
    return (match.group(1), match.group(2).strip()) if match else (text, "")


def read_document_line(line: str, names: dict[str, str]) -> tuple[tuple[str, str], Literal["", "several", "unknown"]]:
    """A 必要書類 line read once for the check: (document, note) as document_need gives it, and what is wrong with it
    for a sheet of these `names`: "several" documents on one line, a name that is "unknown", or nothing."""
    found = split_document_line(line, names)
    if found is not None:
        return found, ""
    return _own_words(line), "several" if _several_outside_notes(line) else "unknown"


def split_condition_header(header: object) -> tuple[str, str | None]:
    """A condition column's header: `住家被害:全壊` → (住家被害, 全壊), `世帯人数` → (世帯人数, None).

    The one reading of the `質問ID:選択肢` grammar (docs/sheet-format.md), for the check and the template.
    `住家被害:` gives an empty choice, not None: a header with a colon names a choice.
    """
    question_id, colon, choice = (part.strip() for part in normalize_key(header).partition(":"))
    return question_id, choice if colon else None


# Optional, one a language: 翻訳_<code>.xlsx (contract/languages.py; docs/sheet-format.md, "Additions").
TRANSLATIONS = TableSpec("翻訳", (
    Column("場所", "place", required=True, key=True, width=30,
           help="どの文章かを示します（例: 制度/risai/概要）。書き換えないでください。"),
    Column("原文", "original", width=50, help="日本語の文章です。書き換えないでください。"),
    Column("訳", "translation", width=50, help="ここに訳を書きます。改行はそのまま（Alt+Enter）。"),
    Column("状態", "state", width=12,
           help="▼ から選びます。確認済み（人が確かめた訳）・機械翻訳（機械翻訳のまま）。空欄の訳は公開されません。"),
    # navigator's addition: the 原文 the 訳 was made from, when the Japanese changed since (要確認).
    Column("以前の原文", "previous", width=40,
           help="日本語が変わったときだけ、訳したときの原文が入ります（要確認）。訳を今の原文に合わせて直したら、この欄を空にします。"),
))
DELETED_TRANSLATIONS_SHEET = "削除された原文"  # translations of texts the site no longer has: kept, never read

# Key/value sheets have these two headers.
KEY_HEADER = "項目"
VALUE_HEADER = "値"

# How many rows from the top may hold titles and notes before the header row.
HEADER_SEARCH_ROWS = 10

# Marks, compared after normalisation (NFKC folds full-width forms and `Ｔｒｕｅ`).
CONDITION_MARKS = frozenset({"○", "〇", "◯", "●", "✓", "✔", "1", "TRUE"})
# `✕` and `x` are accepted beyond docs/sheet-format.md: they mean "no" in 公開 too.
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
READ_SHEETS = tuple(spec.sheet for spec in (SETTINGS, QUESTIONS, CATEGORIES, DOCUMENTS, TERMS, DEPARTMENT, PROGRAMS,
                                             TRANSLATIONS))
