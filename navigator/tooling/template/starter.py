"""`navigator init`: the folder a new city starts from, a common.xlsx with starter questions and
categories, and an example department workbook made from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from navigator.contract import sheets as schema
from navigator.tooling.template.authoring import refuse_existing, save_new, write_department_template
from navigator.tooling.template.common import TemplateError, read_common
from navigator.tooling.template.instructions import example_program, write_common_instructions
from navigator.tooling.template.style import (
    BORDER,
    INSTRUCTIONS_SHEET,
    LAST_ROW,
    OPTIONAL_FILL,
    REQUIRED_FILL,
    TOP_WRAP,
    as_text,
    column_style,
    explain,
    input_message,
    japanese_font,
    style_header,
    write_key_value_sheet,
)

EXAMPLE_DEPARTMENT_FILE = "例_福祉課.xlsx"
EXAMPLE_DEPARTMENT_NAME = "福祉課（例）"

# The starting point `navigator init` writes: a city replaces it with its own.
STARTER_QUESTIONS = (
    ("住家被害", "お住まいの家の被害の程度は？", "り災証明書に書かれた判定を選んでください。", "単一選択",
     "全壊\n大規模半壊\n中規模半壊\n半壊\n準半壊\n一部損壊\n被害なし", "", ""),
    ("再建方法", "家をどのように再建しますか？", "", "単一選択", "建設・購入\n補修\n賃借", "", "住家被害=全壊、大規模半壊"),
    ("世帯人数", "世帯の人数は何人ですか？", "", "数値", "", "人", ""),
    ("世帯の状況", "当てはまるものをすべて選んでください。", "", "複数選択",
     "小学生・中学生がいる\n65歳以上の方がいる\n障害のある方がいる", "", ""),
    ("事業", "お店や農業などの事業を営んでいますか？", "", "単一選択", "はい\nいいえ", "", ""),
)
STARTER_CATEGORIES = (
    ("生活再建・給付金", "生活を立て直すための給付金や貸付"),
    ("住まい", "住まいの確保と修理"),
    ("子育て・教育", "子どもと学校のための支援"),
    ("税・保険料の減免", "税金や保険料の減免・猶予"),
    ("事業者向け", "お店や農業などの事業の再開"),
)


def write_common_workbook(path: Path, city: str) -> Path:
    """The common.xlsx a new city starts from: settings, starter questions and categories to rewrite."""
    refuse_existing(path)
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    write_common_instructions(instructions)
    settings = {"サイト名": f"{city} 支援制度ナビ", "自治体名": city,
                "はじめに": "いくつかの質問に答えると、あなたが使える可能性のある支援制度が分かります。",
                "注意事項": "実際に対象になるかどうかは、各制度の担当課が判断します。"}
    write_key_value_sheet(workbook.create_sheet(schema.SETTINGS.sheet), schema.SETTINGS, settings)
    _table_sheet(workbook.create_sheet(schema.QUESTIONS.sheet), schema.QUESTIONS, STARTER_QUESTIONS)
    questions = workbook[schema.QUESTIONS.sheet]
    letter = get_column_letter(schema.QUESTIONS.headers.index("回答形式") + 1)
    kinds = input_message("回答形式", schema.QUESTIONS.column("回答形式").help, type="list",
                     formula1='"' + ",".join(schema.ANSWER_TYPE_NAMES) + '"', showErrorMessage=True, errorStyle="stop",
                     errorTitle="回答形式", error="単一選択・複数選択・数値 のどれかを ▼ から選んでください。")
    kinds.add(f"{letter}2:{letter}{LAST_ROW}")
    questions.add_data_validation(kinds)
    _table_sheet(workbook.create_sheet(schema.CATEGORIES.sheet), schema.CATEGORIES, STARTER_CATEGORIES)
    workbook.active = 0
    save_new(workbook, path)
    return path


def _table_sheet(ws, spec: schema.TableSpec, rows) -> None:
    for column, spec_column in enumerate(spec.columns, start=1):
        cell = ws.cell(1, column, spec_column.header)
        style_header(cell, REQUIRED_FILL if spec_column.required else OPTIONAL_FILL)
        explain(ws, cell.coordinate, spec_column.header, spec_column.help)
        column_style(ws, column, spec_column.width, TOP_WRAP, "@" if spec_column.kind == "id" else None)
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row, column, value or None)
            cell.font = japanese_font()
            cell.border = BORDER
            cell.alignment = TOP_WRAP
        ws.row_dimensions[row].height = 17 * max(as_text(v).count("\n") + 1 for v in values) + 4
    ws.freeze_panes = "B2"


@dataclass
class InitResult:
    folder: Path
    common: Path
    example: Path

    def lines(self) -> list[str]:
        folder = self.folder
        return [
            f"「{folder}」に新しい自治体のシートを作りました。",
            f"  {self.common}  設定・質問・分類（取りまとめ課が書き換えます。書き方は「記入方法」シート）",
            f"  {self.example}  部署のブックの例（制度は記入例です。公開が × なのでサイトには載りません）",
            "次にすること:",
            "  1. common.xlsx の「設定」「質問」「分類」を、自分の自治体に合わせて書き換えます。",
            f"  2. 各課のブックを作ります: navigator template 福祉課 --sheets {folder}",
            f"  3. 確かめます: navigator check {folder}",
        ]


def init_city(folder: Path, city: str) -> InitResult:
    """A new city's sheets folder: common.xlsx and one example department workbook."""
    city = city.strip()
    if not city:
        raise TemplateError("自治体名が空です。--city に自治体名を指定してください（例: --city みどり市）。", usage=True)
    if folder.exists() and not folder.is_dir():
        raise TemplateError(f"「{folder}」はフォルダではありません。新しいフォルダの名前を指定してください。", usage=True)
    if folder.exists() and any(folder.iterdir()):
        raise TemplateError(f"フォルダ「{folder}」は空ではありません。中のファイルを上書きしないよう、新しいフォルダの名前を指定してください。",
                            usage=True)
    common_path = write_common_workbook(folder / "common.xlsx", city)
    common, _ = read_common(folder)
    rows = example_program(common).rows
    rows[0] = {**rows[0], "公開": "×", "備考": "記入例です。実際の制度に書き換え、公開を空欄にするとサイトに載ります。"}
    example = write_department_template(common, EXAMPLE_DEPARTMENT_NAME, folder / EXAMPLE_DEPARTMENT_FILE, rows)
    return InitResult(folder, common_path, example)
