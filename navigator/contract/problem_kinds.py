"""The catalogue of problem kinds: one declaration for each, read by the checks, the guide and the tests.

A kind has its code, severity, a summary in a few words, who fixes it (部署 or 取りまとめ課), how
(the fix the department guide gives) and its message: a str.format template whose named fields the
place that finds the problem fills in (`report.add(kinds.BAD_URL, cell=…, header=…, url=…)`). A kind
worded differently for different cases has variants (`missing-value.item-row`), each its own
template, all with the kind's code. The guide's example of a kind is its main template with the
example's values, so it is what `navigator check` prints (navigator.tooling.guide).

Template fields are never named file, sheet or cell: those are where a problem is, not what it says.
"""

from __future__ import annotations

from navigator.contract import sheets as schema
from navigator.contract.numbers import range_examples
from navigator.contract.problem_kind import (  # noqa: F401 - re-exported: the checks and the guide import them from here
    COORDINATOR,
    DEPARTMENT,
    Example,
    Message,
    ProblemKind,
    Severity,
    example,
)
from navigator.contract.text import quote_list, suggestion

_UNUSED_CELLS = "使っていない行や列（離れたセルに入った値）を削除して保存し直してください。"
_TOO_MANY = ("このブックには問題が多いため、最初の{listed}件だけを表示しています（ほかに{found}）。"
             "多くの行に同じ間違いがあるときは、見出しの行と列の位置を確かめてください。"
             "表示された問題を直してから、もう一度確認してください。")
_CHOICES = ("全壊", "大規模半壊", "半壊", "一部損壊", "被害なし")  # the guide's examples: small_city's 住家被害
_CATEGORIES = ("生活再建", "住まい", "子育て・教育")
_SAVE_AS_XLSX = "Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してください。"

# In the order of the department guide.

NO_COMMON_WORKBOOK = ProblemKind(
    "no-common-workbook", "error", "common.xlsx がない", COORDINATOR,
    "フォルダ「{folder}」に common.xlsx がありません。設定・質問・分類を書いた common.xlsx をこのフォルダに置いてください。",
    example(folder="sheets"),
    fix="取りまとめ課の common.xlsx を、部署のブックと同じフォルダに置きます。新しい自治体なら `navigator init` で作れます。",
)
UNREADABLE_WORKBOOK = ProblemKind(
    "unreadable-workbook", "error", "ブックとして読めないファイル", DEPARTMENT,
    "Excel のブック（.xlsx）として読めません。Excel で開き、「名前を付けて保存」で .xlsx 形式を選んで保存し直してください。",
    example("福祉課.xlsx"),
    fix="CSV や古い形式（.xls）のファイル、名前だけ .xlsx にしたファイルです。Excel で開き、「名前を付けて保存」で"
        "「Excel ブック (*.xlsx)」を選んで保存し直します。",
    variants={
        "cannot-open": "ファイルを開けません（{reason}）。ファイルの場所とアクセス権を確かめてください。",
        "no-permission": "ファイルを読む権限がありません。ファイルのアクセス権を確かめてください。",
        "broken-link": "リンク先のファイル「{target}」がありません。リンクを作り直すか、ブックそのものをフォルダに置いてください。",
        "not-a-file": "ふつうのファイルではありません（パイプや装置のファイルです）。ブックそのものをフォルダに置いてください。",
    },
)
PASSWORD_PROTECTED = ProblemKind(
    "password-protected", "error", "パスワードで保護されたブック", DEPARTMENT,
    "パスワードで保護されているため読めません。Excel でパスワードを解除して保存し直してください。",
    example("福祉課.xlsx"),
    fix="「ファイル」→「情報」→「ブックの保護」で、開くときのパスワードを消して保存します。",
)
CORRUPT_WORKBOOK = ProblemKind(
    "corrupt-workbook", "error", "壊れたブック", DEPARTMENT,
    "ブックが壊れていて読めません。Excel で開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください。",
    example("福祉課.xlsx"),
    fix="コピーの途中で切れたファイルなどです。Excel で開けるなら保存し直し、開けないなら元のファイルをもう一度送ってもらいます。",
)
UNSUPPORTED_FORMAT = ProblemKind(
    "unsupported-format", "error", "読まない形式のファイル（.xls・.ods・.csv など）", DEPARTMENT,
    "{format}のファイルです。{format}のファイルは読みません。{fix}",
    example("福祉課.xls", format="Excel 97-2003 形式（.xls）", fix=_SAVE_AS_XLSX),
    fix="navigator が読むのは .xlsx（と .xlsm）のブックだけです。古い形式（.xls）や OpenDocument（.ods）、CSV のファイルは、"
        "黙って読み飛ばさずにエラーにします。Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直し、"
        "元のファイルはフォルダから取り除きます。",
    variants={"inside": "中身が{format}のファイルです。{format}のファイルは読みません。{fix}"},  # a renamed file
)
EMPTY_FILE = ProblemKind(
    "empty-file", "error", "中身が空（0 バイト）のファイル", DEPARTMENT,
    "ファイルの中身が空です（0 バイト）。コピーや保存が途中で止まったファイルです。元のブックを Excel で保存し直して、もう一度置いてください。",
    example("福祉課.xlsx"),
    fix="コピーやメールの添付が途中で止まると、名前だけで中身のないファイルができます。元のブックをもう一度送ってもらいます。",
)
WORKBOOK_TOO_LARGE = ProblemKind(
    "workbook-too-large", "error", "上限を超える大きさ（ファイル・展開後の中身・行・列・セルの文字数）", DEPARTMENT,
    "シートの値が {rows:,} 行目まであり、上限の {limit:,} 行を超えています。" + _UNUSED_CELLS,
    example("福祉課.xlsx", "制度", "A20001", rows=20_001, limit=schema.MAX_ROWS),
    fix="上限（ファイル 100 MB、1シート 10,000 行・2,000 列、1セル 32,767 文字など。取りまとめ課向けの説明は docs/limits.md）は、"
        "どの自治体の一覧よりずっと大きく決めてあります。"
        "超えるのは、遠く離れたセルにうっかり値を入れたときや、画像を貼り付けたときです。Ctrl+End で最後のセルに移り、"
        "要らない行・列を削除して保存し直します。",
    variants={
        "columns": "シートの値が {column} 列（{columns:,} 列目）まであり、上限の {limit:,} 列（{limit_column} 列）を超えています。"
                   + _UNUSED_CELLS,
        "cells": "シートの使われている範囲が {cells:,} セルあり、上限の {limit:,} セルを超えています。" + _UNUSED_CELLS,
        "file-size": "ファイルの大きさが {size} あり、上限の {limit} を超えています。貼り付けた画像など、制度の一覧に要らないものを消して保存し直してください。",
        "unpacked": "ブックの中身（zip を展開した大きさ）が上限の {limit} を超えています。使っていない行や列、シートを削除して保存し直してください。",
        "cell-text": "セルの文字数が {length:,} 文字あり、上限の {limit:,} 文字（Excel の1つのセルの上限）を超えています。"
                     "文章を短くするか、いくつかの項目に分けてください。",
    },
)
MISSING_SHEET = ProblemKind(
    "missing-sheet", "error", "必須のシートがない", DEPARTMENT,
    "シート「{name}」がありません。シート「{close}」のことなら、シート名を「{name}」に直してください。",
    example("福祉課.xlsx", name="制度", close="制度一覧"),
    fix="シートの名前を変えてしまったときに出ます。シートの見出し（下のタブ）をダブルクリックして、「部署」「制度」に戻します。",
    variants={"absent": "シート「{name}」がありません。シートを追加するか、シート名を「{name}」に直してください。"},
)
MISSING_HEADER = ProblemKind(
    "missing-header", "error", "必須の見出しがない", DEPARTMENT,
    "見出し「{header}」がありません。見出し「{close}」（{close_cell}）のことなら、「{header}」に直してください。",
    example("福祉課.xlsx", "制度", "C2", header="分類", close="分類名", close_cell="C2"),
    fix="見出しの文字を変えたり、列を消したりしたときに出ます。メッセージの見出しの文字に戻すか、列を足します。"
        "見出し行は上から10行以内に置きます。",
    variants={
        "absent": "見出し「{header}」がありません。{row}行目（見出し行）に「{header}」の列を追加してください。",
        # {hints}: the near-miss piece below once for each key header with a near miss among the top cells
        "no-header-row": "見出し行が見つかりません。上から{rows}行以内の1行に {headers} の見出しを入れてください。{hints}",
        "near-miss": "見出し「{close}」のことなら「{header}」に直してください。",
        "choices-column": "見出し「選択肢」がありません。選択式の質問があるので、見出し行に「選択肢」の列を追加してください。",
    },
)
DUPLICATE_HEADER = ProblemKind(
    "duplicate-header", "error", "同じ見出しが2つある", DEPARTMENT,
    "見出し「{header}」が2つあります（{first} と {second}）。どちらかの列を消すか、見出しを直してください。",
    example("福祉課.xlsx", "制度", "S2", header="概要", first="D2", second="S2"),
    fix="列をコピーして増やしたときに出ます。どちらの列を使うか決め、もう一方を消します（中身を確かめてから）。",
)
MISSING_VALUE = ProblemKind(
    "missing-value", "error", "必須の値が空", DEPARTMENT,
    "「{header}」が空です。{what}を入力してください。",
    example("福祉課.xlsx", "制度", "B4", header="制度名", what="制度名"),
    fix="必ず書く欄（見出しがオレンジの列: 制度ID・制度名・分類・概要、「部署」シートの部署名）が空です。"
        "または行のつもりなら、制度IDを上の行と同じにして、条件の列と備考のほかは空にします。",
    variants={
        "answer-type": "「回答形式」が空です。「単一選択」「複数選択」「数値」のどれかを入力してください。",
        "item-value": "項目「{item}」の値が空です。値を入力してください。",
        "item-row": "項目「{item}」の行がありません。「{sheet_name}」シートに「{item}」の行を追加して値を入力してください。",
    },
)
FORMULA_WITHOUT_VALUE = ProblemKind(
    "formula-without-value", "error", "計算結果が保存されていない数式", DEPARTMENT,
    "「{header}」の数式に計算結果が保存されていません。このファイルを Excel で開き、上書き保存してください。",
    example("福祉課.xlsx", "制度", "D4", header="概要"),
    fix="数式の入ったブックをプログラム（`navigator template --update` など）が保存したときに出ます。Excel で開いて上書き保存すると直ります。",
)
ID_NOT_TEXT = ProblemKind(
    "id-not-text", "error", "IDが数値や日付として入力されている", DEPARTMENT,
    "{header}「{value}」が{entered_as}として入力されています。"
    "セルの表示形式を「文字列」にしてから入力し直すか、先頭に ' を付けて文字として入力してください。",
    example("福祉課.xlsx", "制度", "A4", header="制度ID", value="123", entered_as="数値"),
    fix="数字だけの制度ID（や日付に見える質問ID）は、Excel が数として扱ってしまいます。先頭に ' を付けて `'123` と入力するか、"
        "英字を入れた制度ID（例: `mimaikin-123`）にします。",
)
INVALID_QUESTION_ID = ProblemKind(
    "invalid-question-id", "error", "質問IDに使えない文字や長さ", COORDINATOR,
    "質問ID「{question_id}」に使えない文字（{chars}）が入っています。空白・改行と : = , 、 # & ? / % \" ' < > を使わず、"
    "{limit}文字以内の短い名前にしてください。",
    example("common.xlsx", "質問", "A7", question_id="住家 被害", chars="空白", limit=schema.QUESTION_ID_MAX),
    fix="質問IDは各課の見出し（`住家被害:全壊`）に使うので、区切りの記号や空白は使えません。短い名前に直します。",
    variants={
        "too-long": "質問ID「{question_id}」に{length}文字あります（{limit}文字まで）。空白・改行と : = , 、 # & ? / % \" ' < > を使わず、"
                    "{limit}文字以内の短い名前にしてください。",
    },
)
INVALID_PROGRAM_ID = ProblemKind(
    "invalid-program-id", "error", "制度IDに使えない文字や長さ", DEPARTMENT,
    "制度ID「{program_id}」は使えません。半角の英字・数字・「-」・「_」だけで、{limit}文字以内にしてください（ページのURLになります）。",
    example("福祉課.xlsx", "制度", "A4", program_id="り災証明", limit=schema.PROGRAM_ID_MAX),
    fix="制度IDはページのアドレスになるので、半角の英字・数字・「-」・「_」だけを使います。例: `risai-shomei`",
)
DUPLICATE_SETTING = ProblemKind(
    "duplicate-setting", "error", "設定の項目が2つある", COORDINATOR,
    "項目「{name}」が2行あります（{first} と {second}）。どちらか一方の行を消してください。",
    example("common.xlsx", "設定", "A8", name="サイト名", first="A2", second="A8"),
    fix="同じ項目の行が2つあります。使う方を残し、もう一方の行を消します。「部署」シートでも同じです。",
)
DUPLICATE_QUESTION_ID = ProblemKind(
    "duplicate-question-id", "error", "同じ質問IDが2つある", COORDINATOR,
    "質問ID「{question_id}」が2つあります（{first} と {second}）。別の質問IDにしてください。",
    example("common.xlsx", "質問", "A7", question_id="事業", first="A6", second="A7"),
    fix="質問IDは質問ごとに違う名前にします。",
)
DUPLICATE_CHOICE = ProblemKind(
    "duplicate-choice", "error", "同じ選択肢が2つある", COORDINATOR,
    "選択肢「{choice}」が2回書かれています。どちらか一方を消してください。",
    example("common.xlsx", "質問", "E6", choice="はい"),
    fix="1つの質問の選択肢に同じものが2つあります（全角と半角の違いは同じとみなします）。一方を消します。",
)
DUPLICATE_CATEGORY = ProblemKind(
    "duplicate-category", "error", "同じ分類名が2つある", COORDINATOR,
    "分類名「{name}」が2つあります（{first} と {second}）。どちらか一方を消すか、別の名前にしてください。",
    example("common.xlsx", "分類", "A5", name="住まい", first="A3", second="A5"),
    fix="分類名は1つずつにします。",
)
DUPLICATE_DOCUMENT = ProblemKind(
    "duplicate-document", "error", "同じ書類名が2つある", COORDINATOR,
    "書類名「{name}」が2つあります（{first} と {second}）。1つの書類は1行にまとめてください。",
    example("common.xlsx", "書類", "A6", name="り災証明書", first="A2", second="A6"),
    fix="書類シートには、1つの書類を1行だけ書きます。制度ごとの違い（写し可など）は、各課の「必要書類」に（　）で書きます。",
)
DUPLICATE_TERM = ProblemKind(
    "duplicate-term", "error", "同じ語が2つある", COORDINATOR,
    "用語シートに語「{name}」が2つあります（{first} と {second}）。1つの語は1行にまとめてください。",
    example("common.xlsx", "用語", "A5", name="り災証明書", first="A2", second="A5"),
    fix="用語シートには、1つの語を1行だけ書きます。ほかの書き方（罹災証明書など）は、その行の「同義語」に1行に1つずつ書きます。",
)
UNKNOWN_ISSUING_PROGRAM = ProblemKind(
    "unknown-issuing-program", "error", "発行する制度の制度IDがない", COORDINATOR,
    "書類「{name}」の発行する制度「{program_id}」は、どの部署のブックにもありません（公開していない制度も含めて）。"
    "書類を出す制度の制度IDにするか、空欄にしてください{suggestion}。",
    example("common.xlsx", "書類", "D2", name="り災証明書", program_id="risai-shoumei", suggestion="（もしかして「risai」？）"),
    fix="「発行する制度」には、その書類を出す制度の制度IDを書きます（例: り災証明書なら、り災証明書の交付の制度ID）。"
        "なければ空欄にします。",
)
DUPLICATE_PROGRAM_ID = ProblemKind(
    "duplicate-program-id", "error", "同じ制度IDが2つある", DEPARTMENT,
    "制度ID「{program_id}」は {first} にもあります。制度IDはすべてのブックを通して重複しないようにしてください"
    "（大文字・小文字の違いは同じとみなします）。別の条件の行（または行）なら、元の行のすぐ下に置いてください。",
    example("福祉課.xlsx", "制度", "A6", program_id="risai", first="福祉課.xlsx / 制度 / A4"),
    fix="制度IDは、ほかの課も含めて1つの制度に1つです。別の制度なら別の制度IDにします。または行のつもりなら、元の行の"
        "すぐ下に置き、条件の列と備考のほか（制度名など）は空にします。",
    variants={
        # The row right below a program with its 制度ID: a または row, but with the program's own cells filled.
        "or-row": "制度ID「{program_id}」が {first} と同じです。別の制度なら別の制度IDに、"
                  "または行（別の条件）なら条件列と備考以外のセル（{cells}）を空にしてください。",
    },
)
UNKNOWN_ANSWER_TYPE = ProblemKind(
    "unknown-answer-type", "error", "回答形式が単一選択・複数選択・数値のどれでもない", COORDINATOR,
    "回答形式「{name}」は使えません。「単一選択」「複数選択」「数値」のどれかにしてください{suggestion}。",
    example("common.xlsx", "質問", "D6", name="単一", suggestion=suggestion("単一", schema.ANSWER_TYPE_NAMES)),
    fix="回答形式は ▼ から「単一選択」「複数選択」「数値」のどれかを選びます。",
)
MISSING_CHOICES = ProblemKind(
    "missing-choices", "error", "選択式の質問に選択肢がない", COORDINATOR,
    "「選択肢」が空です。選択肢を1行に1つずつ（Alt+Enter で改行して）入力してください。",
    example("common.xlsx", "質問", "E3"),
    fix="単一選択・複数選択の質問には選択肢が必要です。1つのセルの中に、Alt+Enter で改行しながら書きます。",
)
UNKNOWN_CATEGORY = ProblemKind(
    "unknown-category", "error", "分類シートにない分類", DEPARTMENT,
    "分類「{name}」は common.xlsx の分類シートにありません。{names} のどれかにしてください{suggestion}。",
    example("福祉課.xlsx", "制度", "C7", name="すまい", names=quote_list(_CATEGORIES),
            suggestion=suggestion("すまい", _CATEGORIES)),
    fix="分類は ▼ の一覧から選びます。一覧にない分類が必要なら、取りまとめ課に相談します（取りまとめ課が common.xlsx に足し、"
        "`navigator template --update` でブックの一覧を新しくします）。",
)
UNKNOWN_DOCUMENT = ProblemKind(
    "unknown-document", "warning", "書類シートにない書類", DEPARTMENT,
    "必要書類「{line}」は common.xlsx の書類シートにありません（書いたとおりに表示します）。"
    "書類シートの書類名で書き、制度ごとの注意は後ろに（　）で書いてください（例: 「り災証明書（写し可）」）{suggestion}。",
    example("福祉課.xlsx", "制度", "I4", line="罹災証明書", suggestion="（もしかして「り災証明書」？）"),
    fix="書類シートの書類名で書くと、住民の持ち物リストで同じ書類が1回だけ、入手先とともに載ります。"
        "書類シートにない書類なら、取りまとめ課に足してもらいます。",
)
SEVERAL_DOCUMENTS = ProblemKind(
    "several-documents", "warning", "必要書類の1行に書類がいくつもある", DEPARTMENT,
    "必要書類「{line}」には、「、」や「,」で区切って書類がいくつか書かれているようです。"
    "書類は1行に1つずつ（Alt+Enter で改行して）書いてください（書類についての注意は後ろに（　）で書けます）。",
    example("福祉課.xlsx", "制度", "I4", line="住民票、印鑑登録証明書"),
    fix="必要書類は、1つの書類を1行に書きます。そうすると住民の持ち物リストで、書類ごとに入手先とともに載ります。"
        "「本人確認書類（マイナンバーカード、運転免許証など）」のように（　）の中の「、」は構いません。",
)
DEADLINE_NOT_READ = ProblemKind(
    "deadline-not-read", "warning", "日付に見えるが日付として読めない申請期限", DEPARTMENT,
    "申請期限「{value}」は日付として読めませんでした（書いたとおりに表示し、期限が過ぎても受付終了になりません）。"
    "{meaning}のことなら {date} と書いてください。",
    example("福祉課.xlsx", "制度", "G4", value="R9.3.31", meaning="令和9年3月31日", date="2027/3/31"),
    fix="日付として読むのは、日付のセルと 2027/3/31・2027-03-31・2027年3月31日・令和9年3月31日 の形の文字です。"
        "R9.3.31 や 令和9年3月末 のような書き方は、メッセージの日付の形に直します。",
)
UNKNOWN_CONDITION_QUESTION = ProblemKind(
    "unknown-condition-question", "error", "条件列の見出しが知らない質問を指している", DEPARTMENT,
    "条件列「{header}」の質問ID「{question_id}」は common.xlsx の質問シートにありません。"
    "見出しを「質問ID:選択肢」の形で、ある質問IDに直してください{suggestion}。",
    example("福祉課.xlsx", "制度", "Q2", header="住宅被害:半壊", question_id="住宅被害",
            suggestion=suggestion("住宅被害", ["住家被害", "再建方法", "世帯人数", "世帯の状況", "事業"])),
    fix="条件の列の見出しの質問IDが違うか、その質問がなくなりました。見出しを直すか、`navigator template --update` が"
        "「今の質問にない列」と知らせた列なら、○ を正しい列に移してから列を消します。",
)
UNKNOWN_CONDITION_CHOICE = ProblemKind(
    "unknown-condition-choice", "error", "条件列の見出しが知らない選択肢を指している", DEPARTMENT,
    "条件列「{header}」の選択肢「{choice}」は質問「{question_id}」にありません。選択肢は {choices} です{suggestion}。",
    example("福祉課.xlsx", "制度", "P2", header="住家被害:大規模", choice="大規模", question_id="住家被害",
            choices=quote_list(_CHOICES), suggestion=suggestion("大規模", _CHOICES)),
    fix="見出しの選択肢が common.xlsx の選択肢と違います。見出しを直すか、選択肢がなくなったなら ○ を正しい列に移してから"
        "列を消します。数値の質問の列は、見出しを質問IDだけにします（`世帯人数`）。",
    variants={
        "number-question": "条件列「{header}」は使えません。質問「{question_id}」は数値の質問なので、"
                           "選択肢を付けずに見出しを「{question_id}」だけにしてください（セルには「{example}」のような範囲を書きます）。",
        "no-choice": "条件列「{header}」に選択肢がありません。質問「{question_id}」は選択式なので、見出しを"
                     "「{question_id}:{first_choice}」のように「質問ID:選択肢」の形にしてください。",
    },
)
UNKNOWN_MARK = ProblemKind(
    "unknown-mark", "error", "条件列の印が読めない", DEPARTMENT,
    "条件列「{question_id}:{choice}」の「{value}」は読めません。対象にするなら「○」、しないなら空欄にしてください。",
    example("福祉課.xlsx", "制度", "O8", question_id="住家被害", choice="全壊", value="△"),
    fix="条件の列には ○（▼ から選べます）か空欄だけを書きます。「要相談」のような説明は「対象者」の列に書きます。",
)
UNKNOWN_PUBLISH_VALUE = ProblemKind(
    "unknown-publish-value", "error", "公開列の値が読めない", DEPARTMENT,
    "公開「{value}」が読めません。公開するなら空欄か「○」、公開しないなら「×」にしてください。",
    example("福祉課.xlsx", "制度", "M4", value="未定"),
    fix="公開の列は、空欄か ○（載せる）、× （載せない）のどれかにします。",
)
BAD_RANGE = ProblemKind(
    "bad-range", "error", "数値の範囲が読めない", DEPARTMENT,
    "範囲「{value}」が読めません。質問「{question_id}」は数値の質問です。{examples}"
    "のように書いてください（以上・以下・超・未満・〜 が使えます）。",
    example("福祉課.xlsx", "制度", "R4", value="2人いじょう", question_id="世帯人数",
            examples=quote_list(range_examples("人", 1, 20))),
    fix="数値の質問の列には、数と「以上・以下・超・未満・〜」だけで範囲を書きます。単位は付けても付けなくても構いません。",
    variants={"reversed": "範囲「{value}」は始めの数が終わりの数より大きくなっています。小さい数を先に書いてください（例: 「2〜5」）。"},
)
BAD_NUMBER_LIMIT = ProblemKind(
    "bad-number-limit", "error", "最小値・最大値が読めない", COORDINATOR,
    "{header}「{value}」が数として読めません。質問「{question_id}」が受け付ける{header}を、1 や 20 のように数だけで書いてください。",
    example("common.xlsx", "質問", "H4", header="最大値", value="20人まで", question_id="世帯人数"),
    fix="最小値・最大値は、数値の質問が受け付ける答えの範囲です。数だけを書きます（単位は「単位」の列に）。"
        "最小値が空欄なら 0、最大値が空欄なら上限なしです。選択式の質問には書きません。",
    variants={
        "reversed": "質問「{question_id}」の最小値（{minimum}）が最大値（{maximum}）より大きくなっています。小さい数を最小値にしてください。",
        "not-number-question": "質問「{question_id}」は数値の質問ではないので、{header}は使いません。{header}を空欄にしてください。",
    },
)
BAD_DISPLAY_CONDITION = ProblemKind(
    "bad-display-condition", "error", "表示条件が読めない", COORDINATOR,
    "表示条件「{line}」が読めません。1行に1つ、「質問ID=選択肢」の形で書いてください（例: 住家被害=全壊、大規模半壊）。",
    example("common.xlsx", "質問", "G3", line="住家被害:全壊"),
    fix="表示条件は「質問ID=選択肢」（数値の質問なら「質問ID=範囲」）の形で、1行に1つ書きます。",
    variants={"no-value": "表示条件「{line}」の「=」の後が空です。「{question_id}=」の後に選択肢か範囲を書いてください。"},
)
DISPLAY_CONDITION_LATER_QUESTION = ProblemKind(
    "display-condition-later-question", "error", "表示条件が後の質問を指している", COORDINATOR,
    "表示条件が質問「{question_id}」を指していますが、その質問はこの質問より後にあります。"
    "表示条件には、この質問より前にある質問だけを使ってください。",
    example("common.xlsx", "質問", "G2", question_id="事業"),
    fix="住民は上の質問から順に答えるので、表示条件には前の質問だけが使えます。質問の行の順番を入れ替えます。",
    variants={
        "itself": "表示条件がこの質問自身（「{question_id}」）を指しています。表示条件には、この質問より前にある質問だけを使ってください。",
    },
)
DISPLAY_CONDITION_UNKNOWN_QUESTION = ProblemKind(
    "display-condition-unknown-question", "error", "表示条件が知らない質問を指している", COORDINATOR,
    "表示条件の質問ID「{question_id}」は質問シートにありません。前にある質問の質問IDを書いてください{suggestion}。",
    example("common.xlsx", "質問", "G6", question_id="住宅被害", suggestion=suggestion("住宅被害", ["住家被害", "再建方法"])),
    fix="表示条件の質問IDを、質問シートにある質問IDに直します。",
)
DISPLAY_CONDITION_UNKNOWN_CHOICE = ProblemKind(
    "display-condition-unknown-choice", "error", "表示条件が知らない選択肢を指している", COORDINATOR,
    "表示条件の「{choice}」は質問「{question_id}」の選択肢にありません。選択肢は {choices} です{suggestion}。",
    example("common.xlsx", "質問", "G6", choice="大規模", question_id="住家被害", choices=quote_list(_CHOICES),
            suggestion=suggestion("大規模", _CHOICES)),
    fix="表示条件の選択肢を、その質問の選択肢と同じ書き方に直します。",
)
BAD_URL = ProblemKind(
    "bad-url", "error", "URLが http(s) ではない", DEPARTMENT,
    "{header}「{url}」は使えません。https:// か http:// で始まるアドレスを、空白を入れずに書いてください。",
    example("福祉課.xlsx", "制度", "L4", header="詳細URL", url="www.example.jp"),
    fix="ブラウザのアドレス欄からコピーしたアドレスを、https:// から全部貼り付けます。",
    variants={"full-width": "{header}「{url}」は使えません。アドレスに全角の文字（{characters}）があります。"
                            "アドレスは半角の英数字と記号で書いてください。"},
)
BAD_PHONE = ProblemKind(
    "bad-phone", "warning", "電話番号として読めない電話番号", DEPARTMENT,
    "電話番号「{value}」は電話番号として読めません（書いたとおりに表示し、押して電話をかけるリンクになりません）。"
    "012-345-6789 のように、市外局番からの番号を書いてください。",
    example("福祉課.xlsx", "部署", "B3", value="内線 123"),
    fix="「部署」シートの電話番号は、住民が押すと電話がかかるリンクになります。0 で始まる番号を、ハイフンで区切って"
        "（全角でも構いません）書きます。受付時間などの説明は「窓口」に書きます。",
)
ROW_WITHOUT_ID = ProblemKind(
    "row-without-id", "error", "制度IDのない行", DEPARTMENT,
    "{row}行目は値が入っていますが制度IDが空です。制度IDを入力するか、使わない行なら行ごと削除してください。",
    example("福祉課.xlsx", "制度", "A5", row=5),
    fix="制度IDのない行は読み飛ばさずにエラーにします。制度IDを書くか、いらない行なら行ごと削除します（空白1文字だけのセルにも注意）。",
)
TOO_MANY_PROBLEMS = ProblemKind(
    "too-many-problems", "error", "1つのブックの問題が多すぎて、一部だけを表示", DEPARTMENT,
    _TOO_MANY,  # {found}: the errors and warnings not listed, counted (Report.close_file)
    example("福祉課.xlsx", listed=500, found="エラー 9,500件"),
    fix="1つのブックで見つかった問題は最初の500件だけを一覧にし、残りは件数だけを示します（残りの行も公開されません）。"
        "ほとんどの行に同じエラーが出ているなら、列を1つずらして貼り付けた、見出しを書き換えたなど、原因は1か所のことが多いです。"
        "一覧の問題を直して、もう一度確認すると、残りの問題が表示されます。",
)
UNKNOWN_COUNTER_DEPARTMENT = ProblemKind(
    "unknown-counter-department", "warning", "窓口の順番の部署名がない", COORDINATOR,
    "窓口の順番の「{name}」は、どの部署のブックの部署名にもありません。部署シートの部署名のとおりに書いてください{suggestion}。",
    example("common.xlsx", "設定", "B8", name="危機管理課", suggestion="（もしかして「総務部 危機管理課」？）"),
    fix="警告です（サイトは作れます）。この行は手続き案内票の並び順に使われません。各課のブックの「部署」シートの部署名を"
        "そのまま書きます。",
)
UNKNOWN_LANGUAGE_FILE = ProblemKind(
    "unknown-language-file", "error", "翻訳ファイルの名前の言語コードがない", COORDINATOR,
    "ファイル名の言語コード「{code}」はありません。ファイル名を「翻訳_言語コード.xlsx」にしてください{suggestion}。"
    "使える言語コードは {codes} です。",
    example("翻訳_EN-US.xlsx", code="EN-US", suggestion="（もしかして「en」？）",
            codes="easy（やさしい日本語）、en（英語）、zh-Hans（中国語（簡体字））ほか"),
    fix="「翻訳_」で始まるファイルは、その言語の訳として読みます（部署のブックとしては読みません）。"
        "ファイル名を 翻訳_en.xlsx のように、使える言語コードにします。",
)
UNKNOWN_LANGUAGE = ProblemKind(
    "unknown-language", "warning", "設定の言語の言語コードがない", COORDINATOR,
    "言語「{code}」はありません（この行は使いません）。1行に1つ言語コードを書いてください{suggestion}。"
    "使える言語コードは {codes} です。",
    example("common.xlsx", "設定", "B9", code="英語", suggestion="", codes="easy（やさしい日本語）、en（英語）ほか"),
    fix="警告です（サイトは作れます）。「言語」には言語の名前ではなく言語コード（en、zh-Hans など）を1行に1つ書きます。",
)
TRANSLATION_NOT_PUBLISHED = ProblemKind(
    "translation-not-published", "warning", "設定の言語にない言語の翻訳ファイル", COORDINATOR,
    "言語「{code}」は common.xlsx の設定「言語」にないため、この訳は公開されません。公開するなら設定の「言語」に {code} を"
    "1行で書き足してください。",
    example("翻訳_en.xlsx", code="en"),
    fix="警告です（サイトは作れます）。訳ができあがるまで公開しないなら、そのままで構いません。",
)
STALE_TRANSLATION = ProblemKind(
    "stale-translation", "warning", "日本語が変わって使われない訳", COORDINATOR,
    "「{place}」の日本語が変わったため、この訳は使われません（日本語のまま表示します）。訳を今の原文に合わせて直し、"
    "「以前の原文」の欄を空にしてください。",
    example("翻訳_en.xlsx", "翻訳", "C12", place="制度/risai/概要"),
    fix="警告です（サイトは作れます）。翻訳の担当者に、以前の原文と今の原文を比べて訳を直してもらいます。",
    variants={
        # A file not refreshed since the Japanese changed: 原文 is the old text and there is no 以前の原文.
        "not-refreshed": "「{place}」の日本語が変わったため、この訳は使われません（日本語のまま表示します）。"
                         "navigator translate {code} で今の原文を書き込み、訳を直してください。",
    },
)
UNKNOWN_TRANSLATION_STATE = ProblemKind(
    "unknown-translation-state", "warning", "訳の状態が確認済み・機械翻訳のどちらでもない", COORDINATOR,
    "状態「{state}」は使えません（この訳は使いません）。▼ から「確認済み」か「機械翻訳」を選ぶか、まだなら空欄にしてください。",
    example("翻訳_en.xlsx", "翻訳", "D7", state="済"),
    fix="警告です（サイトは作れます）。状態は「確認済み」（人が確かめた訳）か「機械翻訳」のどちらかにします。",
)
UNKNOWN_SETTING = ProblemKind(
    "unknown-setting", "warning", "知らない設定項目", COORDINATOR,
    "項目「{name}」は使われません（無視します）。使える項目は {names} です{suggestion}。",
    example("common.xlsx", "設定", "A8", name="サイト名称", names=quote_list(schema.SETTINGS.names, None),
            suggestion=suggestion("サイト名称", schema.SETTINGS.names)),
    fix="警告です（サイトは作れます）。項目名を直すか、いらない行なら消します。「部署」シートでも同じです。",
)
UNKNOWN_COLUMN = ProblemKind(
    "unknown-column", "warning", "知らない列（無視される）", DEPARTMENT,
    "列「{header}」は使われません（無視します）。制度の列か条件列にするなら見出しを直してください{suggestion}。",
    example("福祉課.xlsx", "制度", "S2", header="担当者メモ", suggestion=""),
    fix="警告です（サイトは作れます）。課の作業用の列ならそのままで構いません。制度の列のつもりなら、見出しを正しく直します。",
)
PLACEHOLDER_SETTING = ProblemKind(
    "placeholder-setting", "warning", "設定が `navigator init` の仮の値のまま", COORDINATOR,
    "項目「{name}」が、はじめに入っていた仮の値「{value}」のままです。「{placeholder}」を自分の自治体の名前に書き換えてください。",
    example("common.xlsx", "設定", "B2", name="サイト名", value="〇〇市 支援制度ナビ", placeholder=schema.PLACEHOLDER_CITY),
    fix="`navigator init` を --city なしで使うと、自治体名やサイト名に「〇〇市」が入ります。サイトの題名やページに"
        "そのまま出るので、自分の自治体の名前に書き換えます。",
)
NOTHING_PUBLISHED = ProblemKind(
    "nothing-published", "warning", "公開する制度が1つもない", COORDINATOR,
    "公開する制度が1つもありません（読み込んだ制度 {read}件はすべて公開が × です）。このままではサイトに制度が載りません。"
    "載せる制度の「公開」を空欄か「○」にしてください。",
    example(read=1),
    fix="`navigator init` の記入例のように、どの制度も公開が × だと、制度のないサイトができます。"
        "各課のブックで、載せる制度の「公開」を空欄か ○ にします。",
    variants={"no-programs": "部署のブックに制度が1つもありません。このままではサイトに制度が載りません。"
                             "部署のブック（`navigator template` で作れます）に制度を書いて、このフォルダに置いてください。"},
)
TOO_MANY_WARNINGS = ProblemKind(
    "too-many-warnings", "warning", "1つのブックの警告が多すぎて、一部だけを表示", DEPARTMENT,
    _TOO_MANY,
    example("福祉課.xlsx", listed=500, found="警告 120件"),
    fix="警告です（サイトは作れます）。1つのブックの問題は最初の500件だけを一覧にし、残りは件数だけを示します。"
        "一覧の警告を直すか、そのままでよいか確かめてから、もう一度確認してください。",
)

# Every kind, by code, in the order declared above (the guide's order).
KINDS: dict[str, ProblemKind] = {kind.code: kind for kind in list(globals().values()) if isinstance(kind, ProblemKind)}

# Found by `navigator check --links` only (navigator/tooling/links.py), so declared after the catalogue's own order.
DEAD_LINK = ProblemKind(
    "dead-link", "warning", "開けないリンク（--links）", DEPARTMENT,
    "{header}のリンク「{url}」が開けません（{reason}）。アドレスが正しいか、ページが移動していないかブラウザで確かめてください。",
    example("福祉課.xlsx", "制度", "L4", header="詳細URL", url="https://www.example.jp/old-page.html", reason="HTTP 404"),
    fix="警告です（サイトは作れます）。ブラウザでアドレスを開き、移動していれば新しいページのアドレスに書き換えます。"
        "サーバーが一時的に止まっていただけなら、時間をおいてもう一度確認します。",
)
KINDS[DEAD_LINK.code] = DEAD_LINK

# Declared in problem_kinds_site.py (this file is near its size limit), in the catalogue like every kind.
from navigator.contract.problem_kinds_site import BAD_PUBLIC_URL, BAD_TEXT_LINK  # noqa: E402, F401 - re-exported

KINDS[BAD_PUBLIC_URL.code] = BAD_PUBLIC_URL
KINDS[BAD_TEXT_LINK.code] = BAD_TEXT_LINK
