"""The generated parts of docs/department-guide.md, so that the guide cannot drift from the code.

The guide is written by hand, except the parts between `<!-- 自動生成ここから: NAME -->` and
`<!-- 自動生成ここまで: NAME -->`: the columns (from navigator.contract.sheets, input messages
included) and the errors (from navigator.contract.problems.PROBLEM_KINDS and the help
below). A test fails when the file differs from what this module generates.

    python -m navigator.tooling.guide    # rewrites the generated parts of docs/department-guide.md
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from navigator.contract import sheets as schema
from navigator.contract.problems import PROBLEM_KINDS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "department-guide.md"


@dataclass(frozen=True)
class ProblemHelp:
    where: str  # 部署 (department workbooks) or 取りまとめ課 (common.xlsx and the folder)
    example: str  # a message as `navigator check` prints it
    phrase: str  # a fixed part of the message, found word for word in the code (tested)
    fix: str  # what to do, in plain words


DEPARTMENT = "部署"
COORDINATOR = "取りまとめ課"

PROBLEM_HELP: dict[str, ProblemHelp] = {
    "no-common-workbook": ProblemHelp(
        COORDINATOR, "フォルダ「sheets」に common.xlsx がありません。設定・質問・分類を書いた common.xlsx をこのフォルダに置いてください。",
        "設定・質問・分類を書いた common.xlsx をこのフォルダに置いてください",
        "取りまとめ課の common.xlsx を、部署のブックと同じフォルダに置きます。新しい自治体なら `navigator init` で作れます。"),
    "unreadable-workbook": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx: Excel のブック（.xlsx）として読めません。Excel で開き、「名前を付けて保存」で .xlsx 形式を選んで保存し直してください。",
        "Excel のブック（.xlsx）として読めません。",
        "CSV や古い形式（.xls）のファイル、名前だけ .xlsx にしたファイルです。Excel で開き、「名前を付けて保存」で"
        "「Excel ブック (*.xlsx)」を選んで保存し直します。"),
    "password-protected": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx: パスワードで保護されているため読めません。Excel でパスワードを解除して保存し直してください。",
        "パスワードで保護されているため読めません。",
        "「ファイル」→「情報」→「ブックの保護」で、開くときのパスワードを消して保存します。"),
    "corrupt-workbook": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx: ブックが壊れていて読めません。Excel で開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください。",
        "ブックが壊れていて読めません。",
        "コピーの途中で切れたファイルなどです。Excel で開けるなら保存し直し、開けないなら元のファイルをもう一度送ってもらいます。"),
    "unsupported-format": ProblemHelp(
        DEPARTMENT, "福祉課.xls: Excel 97-2003 形式（.xls）のファイルです。Excel 97-2003 形式（.xls）のファイルは読みません。"
        "Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してください。",
        "のファイルは読みません。",
        "navigator が読むのは .xlsx（と .xlsm）のブックだけです。古い形式（.xls）や OpenDocument（.ods）、CSV のファイルは、"
        "黙って読み飛ばさずにエラーにします。Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直し、"
        "元のファイルはフォルダから取り除きます。"),
    "empty-file": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx: ファイルの中身が空です（0 バイト）。コピーや保存が途中で止まったファイルです。"
        "元のブックを Excel で保存し直して、もう一度置いてください。",
        "ファイルの中身が空です（0 バイト）。",
        "コピーやメールの添付が途中で止まると、名前だけで中身のないファイルができます。元のブックをもう一度送ってもらいます。"),
    "workbook-too-large": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / A20001: シートの値が 20,001 行目まであり、上限の 10,000 行を超えています。"
        "使っていない行や列（離れたセルに入った値）を削除して保存し直してください。",
        "を超えています。",
        "上限（ファイル 100 MB、1シート 10,000 行・2,000 列、1セル 32,767 文字など。取りまとめ課向けの説明は docs/limits.md）は、どの自治体の一覧よりずっと大きく決めてあります。"
        "超えるのは、遠く離れたセルにうっかり値を入れたときや、画像を貼り付けたときです。Ctrl+End で最後のセルに移り、"
        "要らない行・列を削除して保存し直します。"),
    "missing-sheet": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx: シート「制度」がありません。シート「制度一覧」のことなら、シート名を「制度」に直してください。",
        "」のことなら、シート名を「",
        "シートの名前を変えてしまったときに出ます。シートの見出し（下のタブ）をダブルクリックして、「部署」「制度」に戻します。"),
    "missing-header": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / C2: 見出し「分類」がありません。見出し「分類名」（C2）のことなら、「分類」に直してください。",
        "）のことなら、「",
        "見出しの文字を変えたり、列を消したりしたときに出ます。メッセージの見出しの文字に戻すか、列を足します。"
        "見出し行は上から10行以内に置きます。"),
    "duplicate-header": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / S2: 見出し「概要」が2つあります（D2 と S2）。どちらかの列を消すか、見出しを直してください。",
        "どちらかの列を消すか、見出しを直してください。",
        "列をコピーして増やしたときに出ます。どちらの列を使うか決め、もう一方を消します（中身を確かめてから）。"),
    "missing-value": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / B4: 「制度名」が空です。制度名を入力してください。",
        "」が空です。",
        "必ず書く欄（見出しがオレンジの列: 制度ID・制度名・分類・概要、「部署」シートの部署名）が空です。"
        "または行のつもりなら、制度IDを上の行と同じにして、条件の列と備考のほかは空にします。"),
    "formula-without-value": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / D4: 「概要」の数式に計算結果が保存されていません。このファイルを Excel で開き、上書き保存してください。",
        "の数式に計算結果が保存されていません。このファイルを Excel で開き、上書き保存してください。",
        "数式の入ったブックをプログラム（`navigator template --update` など）が保存したときに出ます。Excel で開いて上書き保存すると直ります。"),
    "id-not-text": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / A4: 制度ID「123」が数値として入力されています。セルの表示形式を「文字列」にしてから入力し直すか、"
        "先頭に ' を付けて文字として入力してください。",
        "セルの表示形式を「文字列」にしてから入力し直すか、",
        "数字だけの制度ID（や日付に見える質問ID）は、Excel が数として扱ってしまいます。先頭に ' を付けて `'123` と入力するか、"
        "英字を入れた制度ID（例: `mimaikin-123`）にします。"),
    "invalid-question-id": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / A7: 質問ID「住家 被害」に使えない文字（空白）が入っています。空白・改行と : = , 、 # & ? / % \" ' < > を使わず、"
        "32文字以内の短い名前にしてください。",
        "文字以内の短い名前にしてください。",
        "質問IDは各課の見出し（`住家被害:全壊`）に使うので、区切りの記号や空白は使えません。短い名前に直します。"),
    "invalid-program-id": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / A4: 制度ID「り災証明」は使えません。半角の英字・数字・「-」・「_」だけで、64文字以内にしてください（ページのURLになります）。",
        "半角の英字・数字・「-」・「_」だけで、",
        "制度IDはページのアドレスになるので、半角の英字・数字・「-」・「_」だけを使います。例: `risai-shomei`"),
    "duplicate-setting": ProblemHelp(
        COORDINATOR, "common.xlsx / 設定 / A8: 項目「サイト名」が2行あります（A2 と A8）。どちらか一方の行を消してください。",
        "どちらか一方の行を消してください。",
        "同じ項目の行が2つあります。使う方を残し、もう一方の行を消します。「部署」シートでも同じです。"),
    "duplicate-question-id": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / A7: 質問ID「事業」が2つあります（A6 と A7）。別の質問IDにしてください。",
        "別の質問IDにしてください。",
        "質問IDは質問ごとに違う名前にします。"),
    "duplicate-choice": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / E6: 選択肢「はい」が2回書かれています。どちらか一方を消してください。",
        "が2回書かれています。どちらか一方を消してください。",
        "1つの質問の選択肢に同じものが2つあります（全角と半角の違いは同じとみなします）。一方を消します。"),
    "duplicate-category": ProblemHelp(
        COORDINATOR, "common.xlsx / 分類 / A5: 分類名「住まい」が2つあります（A3 と A5）。どちらか一方を消すか、別の名前にしてください。",
        "どちらか一方を消すか、別の名前にしてください。",
        "分類名は1つずつにします。"),
    "duplicate-program-id": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / A6: 制度ID「risai」は 福祉課.xlsx / 制度 / A4 にもあります。制度IDはすべてのブックを通して重複しないようにしてください"
        "（大文字・小文字の違いは同じとみなします）。別の条件の行（または行）なら、元の行のすぐ下に置いてください。",
        "制度IDはすべてのブックを通して",
        "制度IDは、ほかの課も含めて1つの制度に1つです。別の制度なら別の制度IDにします。または行のつもりなら、元の行の"
        "すぐ下に置き、条件の列と備考のほか（制度名など）は空にします。"),
    "unknown-answer-type": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / D6: 回答形式「単一」は使えません。「単一選択」「複数選択」「数値」のどれかにしてください（もしかして「単一選択」？）。",
        "」は使えません。「単一選択」「複数選択」「数値」のどれかにしてください",
        "回答形式は ▼ から「単一選択」「複数選択」「数値」のどれかを選びます。"),
    "missing-choices": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / E3: 「選択肢」が空です。選択肢を1行に1つずつ（Alt+Enter で改行して）入力してください。",
        "選択肢を1行に1つずつ（Alt+Enter で改行して）入力してください。",
        "単一選択・複数選択の質問には選択肢が必要です。1つのセルの中に、Alt+Enter で改行しながら書きます。"),
    "unknown-category": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / C7: 分類「すまい」は common.xlsx の分類シートにありません。「生活再建」「住まい」「子育て・教育」 のどれかにしてください"
        "（もしかして「住まい」？）。",
        "は common.xlsx の分類シートにありません。",
        "分類は ▼ の一覧から選びます。一覧にない分類が必要なら、取りまとめ課に相談します（取りまとめ課が common.xlsx に足し、"
        "`navigator template --update` でブックの一覧を新しくします）。"),
    "unknown-condition-question": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / Q2: 条件列「住宅被害:半壊」の質問ID「住宅被害」は common.xlsx の質問シートにありません。"
        "見出しを「質問ID:選択肢」の形で、ある質問IDに直してください（もしかして「住家被害」？）。",
        "は common.xlsx の質問シートにありません。",
        "条件の列の見出しの質問IDが違うか、その質問がなくなりました。見出しを直すか、`navigator template --update` が"
        "「今の質問にない列」と知らせた列なら、○ を正しい列に移してから列を消します。"),
    "unknown-condition-choice": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / P2: 条件列「住家被害:大規模」の選択肢「大規模」は質問「住家被害」にありません。選択肢は "
        "「全壊」「大規模半壊」「半壊」「一部損壊」「被害なし」 です（もしかして「大規模半壊」？）。",
        "」にありません。選択肢は ",
        "見出しの選択肢が common.xlsx の選択肢と違います。見出しを直すか、選択肢がなくなったなら ○ を正しい列に移してから"
        "列を消します。数値の質問の列は、見出しを質問IDだけにします（`世帯人数`）。"),
    "unknown-mark": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / O8: 条件列「住家被害:全壊」の「△」は読めません。対象にするなら「○」、しないなら空欄にしてください。",
        "対象にするなら「○」、しないなら空欄にしてください。",
        "条件の列には ○（▼ から選べます）か空欄だけを書きます。「要相談」のような説明は「対象者」の列に書きます。"),
    "unknown-publish-value": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / M4: 公開「未定」が読めません。公開するなら空欄か「○」、公開しないなら「×」にしてください。",
        "公開するなら空欄か「○」、公開しないなら「×」にしてください。",
        "公開の列は、空欄か ○（載せる）、× （載せない）のどれかにします。"),
    "bad-range": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / R4: 範囲「2人いじょう」が読めません。質問「世帯人数」は数値の質問です。「2人以上」「65人未満」「1〜3人」「1人」"
        "のように書いてください（以上・以下・超・未満・〜 が使えます）。",
        "（以上・以下・超・未満・〜 が使えます）。",
        "数値の質問の列には、数と「以上・以下・超・未満・〜」だけで範囲を書きます。単位は付けても付けなくても構いません。"),
    "bad-display-condition": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / G3: 表示条件「住家被害:全壊」が読めません。1行に1つ、「質問ID=選択肢」の形で書いてください（例: 住家被害=全壊、大規模半壊）。",
        "1行に1つ、「質問ID=選択肢」の形で書いてください",
        "表示条件は「質問ID=選択肢」（数値の質問なら「質問ID=範囲」）の形で、1行に1つ書きます。"),
    "display-condition-later-question": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / G2: 表示条件が質問「事業」を指していますが、その質問はこの質問より後にあります。"
        "表示条件には、この質問より前にある質問だけを使ってください。",
        "表示条件には、この質問より前にある質問だけを使ってください。",
        "住民は上の質問から順に答えるので、表示条件には前の質問だけが使えます。質問の行の順番を入れ替えます。"),
    "display-condition-unknown-question": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / G6: 表示条件の質問ID「住宅被害」は質問シートにありません。前にある質問の質問IDを書いてください（もしかして「住家被害」？）。",
        "前にある質問の質問IDを書いてください",
        "表示条件の質問IDを、質問シートにある質問IDに直します。"),
    "display-condition-unknown-choice": ProblemHelp(
        COORDINATOR, "common.xlsx / 質問 / G6: 表示条件の「大規模」は質問「住家被害」の選択肢にありません。選択肢は "
        "「全壊」「大規模半壊」「半壊」「一部損壊」「被害なし」 です（もしかして「大規模半壊」？）。",
        "の選択肢にありません。選択肢は ",
        "表示条件の選択肢を、その質問の選択肢と同じ書き方に直します。"),
    "bad-url": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / L4: 詳細URL「www.example.jp」は使えません。https:// か http:// で始まるアドレスを、空白を入れずに書いてください。",
        "で始まるアドレスを、空白を入れずに書いてください。",
        "ブラウザのアドレス欄からコピーしたアドレスを、https:// から全部貼り付けます。"),
    "row-without-id": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / A5: 5行目は値が入っていますが制度IDが空です。制度IDを入力するか、使わない行なら行ごと削除してください。",
        "行目は値が入っていますが制度IDが空です。",
        "制度IDのない行は読み飛ばさずにエラーにします。制度IDを書くか、いらない行なら行ごと削除します（空白1文字だけのセルにも注意）。"),
    "too-many-problems": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx: このブックには問題が多いため、最初の500件だけを表示しています（ほかにエラー 9,500件）。多くの行に同じ間違いがあるときは、見出しの行と列の位置を確かめてください。表示された問題を直してから、もう一度確認してください。",
        "多くの行に同じ間違いがあるときは、見出しの行と列の位置を確かめてください。",
        "1つのブックで見つかった問題は最初の500件だけを一覧にし、残りは件数だけを示します（残りの行も公開されません）。"
        "ほとんどの行に同じエラーが出ているなら、列を1つずらして貼り付けた、見出しを書き換えたなど、原因は1か所のことが多いです。"
        "一覧の問題を直して、もう一度確認すると、残りの問題が表示されます。"),
    "unknown-setting": ProblemHelp(
        COORDINATOR, "common.xlsx / 設定 / A8: 項目「サイト名称」は使われません（無視します）。使える項目は 「サイト名」「自治体名」「はじめに」「問い合わせ先」「注意事項」「お知らせ」 です（もしかして「サイト名」？）。",
        "は使われません（無視します）。使える項目は ",
        "警告です（サイトは作れます）。項目名を直すか、いらない行なら消します。「部署」シートでも同じです。"),
    "unknown-column": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx / 制度 / S2: 列「担当者メモ」は使われません（無視します）。制度の列か条件列にするなら見出しを直してください。",
        "は使われません（無視します）。制度の列か条件列にするなら見出しを直してください",
        "警告です（サイトは作れます）。課の作業用の列ならそのままで構いません。制度の列のつもりなら、見出しを正しく直します。"),
    "too-many-warnings": ProblemHelp(
        DEPARTMENT, "福祉課.xlsx: このブックには問題が多いため、最初の500件だけを表示しています（ほかに警告 120件）。多くの行に同じ間違いがあるときは、見出しの行と列の位置を確かめてください。表示された問題を直してから、もう一度確認してください。",
        "表示された問題を直してから、もう一度確認してください。",
        "警告です（サイトは作れます）。1つのブックの問題は最初の500件だけを一覧にし、残りは件数だけを示します。"
        "一覧の警告を直すか、そのままでよいか確かめてから、もう一度確認してください。"),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def program_columns() -> str:
    lines = ["| 列 | 必須 | 書き方 |", "|---|---|---|"]
    for column in schema.PROGRAMS.columns:
        lines.append(f"| {column.header} | {'必須' if column.required else ''} | {_cell(column.help)} |")
    return "\n".join(lines)


def department_items() -> str:
    lines = ["| 項目 | 必須 | 書き方 |", "|---|---|---|"]
    for item in schema.DEPARTMENT.items:
        lines.append(f"| {item.header} | {'必須' if item.required else ''} | {_cell(item.help)} |")
    return "\n".join(lines)


def problems() -> str:
    parts = []
    for where, title in ((DEPARTMENT, "部署のブックで出るもの"), (COORDINATOR, "取りまとめ課（common.xlsx・フォルダ）で出るもの")):
        parts.append(f"### {title}\n")
        for code, (severity, summary) in PROBLEM_KINDS.items():
            help_ = PROBLEM_HELP[code]
            if help_.where != where:
                continue
            label = "エラー" if severity == "error" else "警告"
            parts.append(f"#### {summary}（{label}・`{code}`）\n\n"
                         f"表示の例:\n\n> [{label}] {help_.example}\n\n"
                         f"直し方: {help_.fix}\n")
    return "\n".join(parts).rstrip()


BLOCKS = {"制度の列": program_columns, "部署の項目": department_items, "エラーと警告": problems}


def _markers(name: str) -> tuple[str, str]:
    return (f"<!-- 自動生成ここから: {name}（python -m navigator.tooling.guide で作り直します。ここは手で直さないでください） -->",
            f"<!-- 自動生成ここまで: {name} -->")


def refresh(text: str) -> str:
    """The guide with its generated parts made from the code again."""
    for name, make in BLOCKS.items():
        begin, end = _markers(name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise ValueError(f"marker for {name!r} not found in the guide")
        text = pattern.sub(lambda _: f"{begin}\n{make()}\n{end}", text)
    return text


def main() -> int:
    text = GUIDE.read_text(encoding="utf-8")
    new = refresh(text)
    if new != text:
        GUIDE.write_text(new, encoding="utf-8")
        print(f"{GUIDE} を更新しました。")
    else:
        print(f"{GUIDE} は最新です。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
