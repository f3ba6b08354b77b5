"""`navigator export --format gif`: the programs in the columns of デジタル庁's GIF 実装データモデル「行政サービス・制度」."""

from __future__ import annotations

import csv
import io

from clirun import run
from sheetmaker import PROGRAMS, SETTINGS, program_row, write_common, write_department

from navigator.check.validate import validate_folder
from navigator.tooling.gif import EMPTY, GIF_COLUMNS, MAPPING, gif_csv

# The model's own list, typed from its source and not from navigator: DS-451-4 (デジタル庁, 2025年3月25日),
# 表1「行政サービス・制度のデータ項目定義」, the 項目名 column in order; 必 marks its required items.
# Source: github.com/JDA-DM/GIF, 451_実装データモデル_行政/docx/451-4_実装データモデル_行政サービス・制度.docx
# (commit c8cd91f0fc2e72b8a83ef41d9b2dfaa9da4e8d20, 「451-4_コアデータモデル改訂に伴う修正」).
MODEL_TABLE_1 = [
    ("必", "制度所管組織"), ("必", "タイトル（制度名）"), ("", "サブタイトル（通称）"), ("", "制度番号"), ("", "元制度番号"),
    ("", "制度変更区分"), ("", "根拠法令"), ("", "地域群"), ("", "地域"), ("必", "概要"), ("必", "内容"), ("", "対象者"),
    ("", "用途・対象物"), ("", "収入条件"), ("", "家族構成条件"), ("", "対象者条件"), ("", "従業員条件"), ("", "資本金条件"),
    ("", "創業年条件"), ("", "給付上限額"), ("", "最大金利"), ("", "借入限度額"), ("", "償還期限"), ("", "最大補助率"),
    ("", "費用"), ("", "予算枠の有無"), ("", "申請届出方法"), ("", "募集時期"), ("", "公募開始日"), ("", "公募終了日"),
    ("", "公募備考"), ("", "手続書類"), ("", "電子申請の有無"), ("", "添付ファイルの名称"), ("", "添付ファイル名"),
    ("", "詳細参照先"), ("", "詳細URL"), ("", "標準産業分類"), ("", "ステージとアクション"), ("", "事業ステージ"),
    ("", "お困りごと"), ("", "サービス種別"), ("", "災害名"), ("", "キーワード"), ("", "実施組織・支援機関"),
    ("", "お問い合わせ先"), ("", "お問合わせ先一覧"), ("必", "連絡先情報"), ("", "公開開始日"), ("", "公開終了日"),
    ("", "最終更新日"), ("", "表示優先度"),
]
PUBLIC_URL = "https://navi.test.example.jp/"


def city(folder, programs=None, public_url=PUBLIC_URL):
    folder.mkdir(parents=True, exist_ok=True)
    write_common(folder, settings=[*SETTINGS, ["公開URL", public_url]] if public_url else SETTINGS)
    write_department(folder, programs=programs if programs is not None else PROGRAMS)
    return folder


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_columns_are_the_models_list():
    assert GIF_COLUMNS == tuple(name for _, name in MODEL_TABLE_1)


def test_every_column_is_either_mapped_or_said_to_be_empty_once():
    assert set(MAPPING) | set(EMPTY) == set(GIF_COLUMNS)
    assert not set(MAPPING) & set(EMPTY)
    assert {name for mark, name in MODEL_TABLE_1 if mark == "必"} <= set(MAPPING)


def test_the_header_and_a_row_for_a_sample_program(tmp_path):
    site = validate_folder(city(tmp_path / "sheets")).site
    text, result = gif_csv(site)
    header = next(csv.reader(io.StringIO(text)))
    assert header == [name for _, name in MODEL_TABLE_1]
    rows = rows_of(text)
    assert len(rows) == len(site.programs) == result.rows  # published only: kasetsu's twin 公開=× is not there
    row = next(r for r in rows if r["制度番号"] == "shien-kin")
    assert row["制度所管組織"] == "福祉課"
    assert row["タイトル（制度名）"] == "生活再建支援金"
    assert row["概要"] == "生活再建支援金の概要です。"
    assert row["内容"] == "最大300万円"
    assert row["公募終了日"] == "2027-03-31" and row["公募備考"] == ""
    assert row["手続書類"] == "り災証明書;預金通帳の写し"
    assert row["キーワード"] == "生活再建"
    assert row["連絡先情報"] == "福祉課 電話 012-345-0001 メール fukushi@city.test.example.jp"
    assert row["対象者条件"]  # the ○ conditions in words
    assert row["詳細参照先"] == "テスト市 被災者支援ナビ"
    assert row["詳細URL"] == PUBLIC_URL + "programs/shien-kin.html"
    assert all(row[name] == "" for name in EMPTY)
    risai = next(r for r in rows if r["制度番号"] == "risai")
    assert (risai["公募終了日"], risai["公募備考"]) == ("", "随時")
    assert risai["内容"] == risai["概要"]  # no 支援内容: 内容 is required, the 概要 stands in


def test_texts_over_the_models_lengths_are_cut_and_said(tmp_path):
    long_name = "と" * 45
    programs = [program_row("long", long_name, 概要="あ" * 150, 支援内容="い" * 600)]
    site = validate_folder(city(tmp_path / "sheets", programs=programs)).site
    text, result = gif_csv(site)
    row = rows_of(text)[0]
    assert row["概要"] == "あ" * 99 + "…" and row["内容"] == "い" * 499 + "…"
    assert row["タイトル（制度名）"] == long_name  # a recommendation: kept whole, but counted
    assert result.cut == {"概要": ["long"], "内容": ["long"]}
    assert result.long == {"タイトル（制度名）": ["long"]}


def test_without_a_public_url_the_detail_is_the_citys_page_or_empty(tmp_path):
    programs = [program_row("a", "制度A", 詳細URL="https://city.test.example.jp/a"), program_row("b", "制度B")]
    site = validate_folder(city(tmp_path / "sheets", programs=programs, public_url=None)).site
    a, b = rows_of(gif_csv(site)[0])
    assert (a["詳細参照先"], a["詳細URL"]) == ("テスト市のページ", "https://city.test.example.jp/a")
    assert (b["詳細参照先"], b["詳細URL"]) == ("", "")


def test_the_command_writes_utf8_without_bom_and_says_what_it_cut(capsys, tmp_path):
    sheets = city(tmp_path / "sheets", programs=[*PROGRAMS, program_row("long", "長い制度", 概要="あ" * 150)])
    out = tmp_path / "gif.csv"
    code, stdout, err = run(capsys, "export", str(sheets), "--format", "gif", "-o", str(out))
    assert (code, err) == (0, "")
    assert stdout.splitlines() == [
        f"公開する制度 4件を、GIF 実装データモデル「行政サービス・制度」（DS-451-4、2025年3月25日）の列で「{out}」に書き出しました（UTF-8）。",
        "概要を100文字（GIF 実装データモデル「行政サービス・制度」（DS-451-4、2025年3月25日）の長さ）に切り詰めた制度 1件"
        "（最後の1文字を「…」にしました）: long"]
    data = out.read_bytes()
    assert data.startswith("制度所管組織,".encode())
    assert "long" in [row["制度番号"] for row in rows_of(data.decode("utf-8"))]


def test_the_gif_format_is_csv_only(capsys, tmp_path):
    code, stdout, err = run(capsys, "export", str(city(tmp_path / "sheets")), "--format", "gif",
                            "-o", str(tmp_path / "x.xlsx"))
    assert code == 2
    assert "--format gif は CSV だけです" in err



def test_the_sheet_format_documents_the_mapping_of_every_column():
    from pathlib import Path

    text = (Path(__file__).parent.parent / "docs" / "sheet-format.md").read_text(encoding="utf-8")
    section = text.split("## The national data model (`navigator export --format gif`)", 1)[1].split("\n## ", 1)[0]
    documented = [line.split("|")[1].strip() for line in section.splitlines()
                  if line.startswith("| ") and not line.startswith("| GIF 項目名")]
    assert documented == list(GIF_COLUMNS)
    for name in EMPTY:
        assert f"| {name} | empty: {EMPTY[name]} |" in section
