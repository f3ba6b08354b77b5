"""The 記入方法 sheets: how to fill in a department workbook (with an example made from the current
questions) and how to fill in common.xlsx."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from navigator.check.common import Common
from navigator.contract import sheets as schema
from navigator.tooling.template.program_sheet import condition_columns
from navigator.tooling.template.style import (
    BORDER,
    COMMON_INSTRUCTIONS_TITLE,
    CONDITION_FILLS,
    DEPARTMENT_INSTRUCTIONS_TITLE,
    MARK,
    OPTIONAL_FILL,
    REQUIRED_FILL,
    TOP_WRAP,
    as_text,
    japanese_font,
    lines_needed,
    print_on_a4_width,
    style_header,
)


@dataclass
class Example:
    rows: list[dict[str, object]]  # the program's row and its または row, by header
    notes: list[str]  # what each row means, in words


def example_program(common: Common) -> Example:
    """A filled-in program with conditions and a または row, made from the current questions."""
    category = common.categories[0].name if common.categories else ""
    first: dict[str, object] = {
        "制度ID": "example-mimaikin", "制度名": "〇〇見舞金", "分類": category,
        "概要": "住まいに被害を受けた世帯に見舞金を支給します。", "支援内容": "1世帯 5万円", "申請期限": "随時",
        "必要書類": "り災証明書\n本人確認書類",
    }
    second: dict[str, object] = {"制度ID": "example-mimaikin", "備考": "または行の例"}
    choice_questions = [q for q in common.questions if q.kind != "number"]
    number_questions = [q for q in common.questions if q.kind == "number"]
    first_note, second_note = [], []
    if choice_questions:
        question = choice_questions[0]
        marked = question.choices[:2] if len(question.choices) > 2 or len(choice_questions) > 1 else question.choices[:1]
        for choice in marked:
            first[f"{question.id}:{choice}"] = MARK
        first_note.append(f"「{question.id}」が{'か'.join(f'「{c}」' for c in marked)}")
    if number_questions:
        question = number_questions[0]
        first[question.id] = f"2{question.unit}以上"
        first_note.append(f"「{question.id}」が 2{question.unit}以上")
    if len(choice_questions) > 1:
        # Another path is clearest on a question everyone is asked (no 表示条件).
        other = next((q for q in choice_questions[1:] if not q.display_conditions), choice_questions[1])
        second[f"{other.id}:{other.choices[0]}"] = MARK
        second_note.append(f"「{other.id}」が「{other.choices[0]}」")
    elif choice_questions and len(choice_questions[0].choices) > 1:
        question = choice_questions[0]
        second[f"{question.id}:{question.choices[-1]}"] = MARK
        second_note.append(f"「{question.id}」が「{question.choices[-1]}」")
    notes = [
        "1行目: " + ("、かつ".join(first_note) + "の人が対象" if first_note else "条件の列が空欄なので、すべての人が対象"),
        "2行目（または行）: 同じ制度IDで条件の列と備考だけを書いた行。"
        + ("または" + "、かつ".join(second_note) + "の人も対象" if second_note else "別の条件で対象になる人を書きます"),
    ]
    return Example([first, second], notes)


DEPARTMENT_STEPS = (
    "このブックには、あなたの課の支援制度を書きます。書いた内容から、住民向けの「支援制度ナビ」のサイトが作られます。",
    "見出しのセルを選ぶと、その列の書き方が表示されます。見出し（2行目）の文字は変えないでください。",
    "1. 「部署」シートに、部署名・電話番号・メール・窓口を書きます。",
    "2. 「制度」シートに、1行に1つの制度を書きます。オレンジ色の見出し（制度ID・制度名・分類・概要）は必ず書きます。",
    "3. 制度IDは、半角の英字・数字・「-」・「_」で付ける名前です（例: kasetsu-jutaku）。ほかの課と同じにならないようにします。"
    "サイトのページのアドレスになるので、一度決めたら変えないでください。",
    "4. 分類は ▼ の一覧から選びます。",
    "5. 黄色と緑の見出しは「条件の列」です。1行目にどの質問の列かが書いてあります。"
    "住民がその答えを選んだときに対象になるなら、「質問ID:選択肢」の列に ○ を付けます。",
    "　・同じ質問で ○ を2つ以上付けると、「どれかに当てはまれば対象」です（例: 全壊 か 大規模半壊）。",
    "　・違う質問に ○ を付けると、「両方に当てはまれば対象」です（例: 全壊 で、かつ 小学生・中学生がいる）。",
    "　・○ を1つも付けない質問は、条件になりません。条件の列がすべて空欄の制度は、すべての人に表示されます。",
    "　・数値の質問（世帯人数など）の列には、「2以上」「65歳以上」「1〜3」のように範囲を書きます。",
    "6. 「AまたはB」で対象になるときは、その制度のすぐ下の行に同じ制度IDを書き、条件の列（と備考）だけを書きます（または行）。",
    "7. サイトに載せない制度は、「公開」の列を × にします。行を非表示にしても、サイトには載ります。",
    "8. 備考はサイトに表示されません。課の中のメモに使えます。",
    "9. 問い合わせ先を空欄にすると、「部署」シートの連絡先が表示されます。",
    "10. 書き終わったら、取りまとめ課に渡します。取りまとめ課が「navigator check」で確かめ、直すところがあれば場所（例: 制度 / F12）を連絡します。",
    "このシート（記入方法）はサイトには使われません。下の記入例も、サイトに載ったり数えられたりしません。",
)

COMMON_STEPS = (
    "common.xlsx は取りまとめ課が管理します。サイトの設定、住民が答える質問、制度の分類を書きます。",
    "見出しのセルを選ぶと、その列の書き方が表示されます。見出しの文字は変えないでください。",
    "1. 「設定」シート: サイト名と自治体名は必ず書きます。はじめに・問い合わせ先・注意事項・お知らせは必要なら書きます。",
    "2. 「質問」シート: 1行に1つの質問を、住民に聞く順に書きます。",
    "　・回答形式は ▼ から選びます。単一選択（1つ選ぶ）、複数選択（いくつでも選ぶ）、数値（数を入力）。",
    "　・選択肢は、1つのセルに1行に1つずつ書きます（セルの中で改行するには Alt+Enter）。",
    "　・表示条件を書くと、前の質問の答えによって聞くときだけ質問します（例: 住家被害=全壊、大規模半壊）。",
    "　・住民は、どの質問も「わからない・答えない」を選べます。",
    "3. 「分類」シート: 制度の分類を、サイトに並べる順に書きます。",
    "4. 各課のブックは「navigator template 部署名」で作ります。条件の列と分類の一覧は、このファイルの質問と分類から作られます。",
    "5. 質問ID・選択肢・分類を変えたときは、各課のブックを「navigator template --update ファイル名」で更新します。"
    "新しい列を足し、入力済みの値はそのまま残します（古い列は消さずに知らせます）。",
    "6. 確認は「navigator check」、サイト作りは「navigator build」です。",
)


def _write_steps(ws, title: str, steps: tuple[str, ...], width_columns: int) -> int:
    """Numbered instructions, one merged row each; returns the next free row."""
    ws.cell(1, 1, title).font = japanese_font(bold=True, size=14)
    ws.row_dimensions[1].height = 26
    row = 3
    for step in steps:
        cell = ws.cell(row, 1, step)
        cell.font = japanese_font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width_columns)
        ws.row_dimensions[row].height = 17 * lines_needed(step, 120) + 4
        row += 1
    return row + 1


def _table(ws, row: int, headers: list[str], rows: list[list[object]], fills: list[str], widths: tuple[int, ...]) -> int:
    """A bordered table; each row as tall as its longest cell wraps to in `widths` (the columns' widths)."""
    for column, (header, fill) in enumerate(zip(headers, fills), start=1):
        style_header(ws.cell(row, column, header), fill)
    for values in rows:
        row += 1
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row, column, value)
            cell.font = japanese_font()
            cell.border = BORDER
            cell.alignment = TOP_WRAP
        ws.row_dimensions[row].height = 17 * max(
            lines_needed(as_text(v), widths[min(n, len(widths) - 1)] - 2) for n, v in enumerate(values)) + 4
    return row + 2


INSTRUCTION_WIDTHS = (20, 30, 22, 40, 16)  # the department 記入方法's columns A to D, then every other one


def write_department_instructions(ws, common: Common) -> None:
    ws.sheet_properties.tabColor = "C00000"
    print_on_a4_width(ws)
    row = _write_steps(ws, DEPARTMENT_INSTRUCTIONS_TITLE, DEPARTMENT_STEPS, 8)
    example = example_program(common)
    ws.cell(row, 1, "記入例（このシートの例はサイトに載りません。実際の制度は「制度」シートに書きます）").font = japanese_font(bold=True, size=12)
    conditions = [c.header for c in condition_columns(common.questions) if any(c.header in r for r in example.rows)]
    shown = ["制度ID", "制度名", "分類", "概要", "支援内容", "備考"]  # the program's columns the example fills
    headers = shown + conditions
    fills = [REQUIRED_FILL if schema.PROGRAMS.column(h).required else OPTIONAL_FILL for h in shown]
    fills += [CONDITION_FILLS[0]] * len(conditions)
    table_rows = [[r.get(h) for h in headers] for r in example.rows]
    row = _table(ws, row + 1, headers, table_rows, fills, INSTRUCTION_WIDTHS)
    for note in example.notes:
        ws.cell(row - 1, 1, note).font = japanese_font(color="C00000")
        row += 1
    row += 1
    ws.cell(row, 1, "質問と選択肢の一覧（条件の列の見出しは「質問ID:選択肢」、数値の質問は「質問ID」だけです）").font = japanese_font(bold=True, size=12)
    kinds = {"single": "単一選択（1つ選ぶ）", "multiple": "複数選択（いくつでも選ぶ）", "number": "数値"}
    question_rows = [[q.id, q.text, kinds[q.kind],
                      "\n".join(q.choices) if q.kind != "number" else f"範囲を書く（単位: {q.unit or 'なし'}）"]
                     for q in common.questions]
    row = _table(ws, row + 1, ["質問ID", "質問文", "答え方", "選択肢"], question_rows, [OPTIONAL_FILL] * 4,
                 INSTRUCTION_WIDTHS)
    ws.cell(row, 1, "分類の一覧: " + "、".join(c.name for c in common.categories)).font = japanese_font()
    for column in range(1, max(8, len(headers)) + 1):
        ws.column_dimensions[get_column_letter(column)].width = INSTRUCTION_WIDTHS[min(column, 5) - 1]


def write_common_instructions(ws) -> None:
    ws.sheet_properties.tabColor = "C00000"
    print_on_a4_width(ws)
    _write_steps(ws, COMMON_INSTRUCTIONS_TITLE, COMMON_STEPS, 6)
    for column in range(1, 7):
        ws.column_dimensions[get_column_letter(column)].width = 20
