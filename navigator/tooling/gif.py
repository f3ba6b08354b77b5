"""`navigator export --format gif`: the published programs in the columns of the national data model.

The model is デジタル庁's GIF (政府相互運用性フレームワーク) 実装データモデル「行政サービス・制度」,
DS-451-4 of 2025-03-25, 表1「行政サービス・制度のデータ項目定義」 (JDA-DM/GIF on GitHub,
451_実装データモデル_行政/docx/451-4_実装データモデル_行政サービス・制度.docx). GIF_COLUMNS is
that table's 項目名, in its order; which of our columns fills each one, and which stay empty, is
MAPPING (docs/sheet-format.md shows it as a table). A UTF-8 CSV (no BOM: it is for other systems),
one row per published program, in site order; multi-line texts stay in their cell (quoted).

The model gives lengths for three items: タイトル（制度名） 40 characters (recommended), 概要 100
and 内容 500. 概要 and 内容 longer than that are cut to the limit, the last character being …,
and export says how many were cut and which programs (GifExport.cut); a タイトル over 40 is kept
whole (the limit is a recommendation; a cut name would be a wrong name) and counted the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from navigator.model import Program, Site
from navigator.site.changes import conditions_in_words
from navigator.site.discovery import page_url, plain_text
from navigator.site.pages import program_page

MODEL = "GIF 実装データモデル「行政サービス・制度」（DS-451-4、2025年3月25日）"

# 表1 行政サービス・制度のデータ項目定義: every 項目名, in the table's order (必: 制度所管組織, タイトル（制度名）, 概要,
# 内容, 連絡先情報).
GIF_COLUMNS: tuple[str, ...] = (
    "制度所管組織", "タイトル（制度名）", "サブタイトル（通称）", "制度番号", "元制度番号", "制度変更区分", "根拠法令",
    "地域群", "地域", "概要", "内容", "対象者", "用途・対象物", "収入条件", "家族構成条件", "対象者条件", "従業員条件",
    "資本金条件", "創業年条件", "給付上限額", "最大金利", "借入限度額", "償還期限", "最大補助率", "費用", "予算枠の有無",
    "申請届出方法", "募集時期", "公募開始日", "公募終了日", "公募備考", "手続書類", "電子申請の有無", "添付ファイルの名称",
    "添付ファイル名", "詳細参照先", "詳細URL", "標準産業分類", "ステージとアクション", "事業ステージ", "お困りごと",
    "サービス種別", "災害名", "キーワード", "実施組織・支援機関", "お問い合わせ先", "お問合わせ先一覧", "連絡先情報",
    "公開開始日", "公開終了日", "最終更新日", "表示優先度",
)

# The model's lengths: 概要 and 内容 are cut to them; タイトル's is a recommendation (counted, never cut).
LIMITS = {"概要": 100, "内容": 500}
RECOMMENDED = {"タイトル（制度名）": 40}


def _detail(program: Program, site: Site) -> tuple[str, str]:
    """詳細参照先 and 詳細URL: the city's own page (詳細URL), else the program's page on this site (公開URL)."""
    if program.detail_url:
        return f"{site.settings.municipality}のページ", program.detail_url
    url = page_url(site.settings.public_url, program_page(program))
    return (site.settings.site_name, url) if url else ("", "")


def _contact_point(program: Program) -> str:
    """連絡先情報 (the core model's 連絡先, flattened to text): the department's name, phone and e-mail."""
    department = program.department
    parts = [department.name]
    if department.phone:
        parts.append(f"電話 {department.phone}")
    if department.email:
        parts.append(f"メール {department.email}")
    return " ".join(parts)


def _inquiry(program: Program) -> str:
    """お問い合わせ先: the program's 問い合わせ先 as written, else its department and 窓口."""
    if program.contact:
        return program.contact
    return " ".join(part for part in (program.department.name, program.department.office) if part)


# Each filled GIF column and how it is made from a program; the others stay empty (EMPTY says why).
MAPPING: dict[str, tuple[str, Callable[[Program, Site], str]]] = {
    "制度所管組織": ("部署 の 部署名", lambda p, s: p.department.name),
    "タイトル（制度名）": ("制度名", lambda p, s: p.name),
    "制度番号": ("制度ID", lambda p, s: p.id),
    "概要": ("概要（文字だけにして）", lambda p, s: plain_text(p.summary, None)),
    "内容": ("支援内容（空なら概要）", lambda p, s: plain_text(p.benefit or p.summary, None)),
    "対象者": ("対象者", lambda p, s: plain_text(p.target, None)),
    "対象者条件": ("条件列（○ と範囲）を言葉で、取りまとめ表の「条件」と同じ",
              lambda p, s: conditions_in_words([[r.as_dict() for r in row.requirements] for row in p.condition_rows])),
    "申請届出方法": ("申請方法", lambda p, s: plain_text(p.how_to_apply, None)),
    "公募終了日": ("申請期限（日付のとき、YYYY-MM-DD）",
              lambda p, s: p.deadline.date.isoformat() if p.deadline and p.deadline.date else ""),
    "公募備考": ("申請期限（日付でないとき、書いたとおり）",
             lambda p, s: p.deadline.text if p.deadline and not p.deadline.date else ""),
    "手続書類": ("必要書類（1行ずつ ; で区切って）", lambda p, s: ";".join(p.documents)),
    "電子申請の有無": ("オンライン申請URL", lambda p, s: p.online_url),
    "詳細参照先": ("詳細URL があれば「<自治体名>のページ」、なければ 公開URL があればサイト名", lambda p, s: _detail(p, s)[0]),
    "詳細URL": ("詳細URL、なければ このサイトの制度のページ（公開URL があるとき）", lambda p, s: _detail(p, s)[1]),
    "キーワード": ("分類", lambda p, s: p.category),
    "お問い合わせ先": ("問い合わせ先（空なら部署名と窓口）", lambda p, s: _inquiry(p)),
    "連絡先情報": ("部署の部署名・電話番号・メール（1つの文字列に）", lambda p, s: _contact_point(p)),
}

# Why the other columns stay empty: the sheets have nothing for them.
EMPTY = {
    "サブタイトル（通称）": "通称の列がない",
    "元制度番号": "国・県の元の制度の番号の列がない", "制度変更区分": "元制度番号がないため",
    "根拠法令": "根拠法令の列がない", "地域群": "地域群の列がない",
    "地域": "地方公共団体コードの設定がない（自治体名は名前だけ）",
    "用途・対象物": "列がない", "収入条件": "条件は対象者条件にまとめて書く", "家族構成条件": "条件は対象者条件にまとめて書く",
    "従業員条件": "事業者向けの項目", "資本金条件": "事業者向けの項目", "創業年条件": "事業者向けの項目",
    "給付上限額": "支援内容は文章で、金額を数として読まない（内容に書いたとおり）",
    "最大金利": "列がない", "借入限度額": "列がない", "償還期限": "列がない", "最大補助率": "列がない", "費用": "列がない",
    "予算枠の有無": "列がない", "募集時期": "申請期限は公募終了日か公募備考に書く", "公募開始日": "受付開始日の列がない",
    "添付ファイルの名称": "添付ファイルはない", "添付ファイル名": "添付ファイルはない",
    "標準産業分類": "事業者向けの項目", "ステージとアクション": "サービスカタログのコードを持たない",
    "事業ステージ": "事業者向けの項目", "お困りごと": "サービスカタログのコードを持たない（分類はキーワードに書く）",
    "サービス種別": "サービスカタログのコードを持たない", "災害名": "災害名の設定がない",
    "実施組織・支援機関": "運用する組織の列がない（問い合わせ先はお問い合わせ先に書く）",
    "お問合わせ先一覧": "問い合わせ先の一覧のURLがない",
    "公開開始日": "公開の期間の列がない", "公開終了日": "公開の期間の列がない",
    "最終更新日": "ブックから制度ごとの更新日は分からない（サイトの更新情報にはある）",
    "表示優先度": "列がない（サイトの並び順がこのファイルの行の順）",
}


@dataclass
class GifExport:
    """What was written: the rows, and for each length of the model the 制度ID of the programs over it."""

    rows: int = 0
    cut: dict[str, list[str]] = field(default_factory=dict)  # 概要/内容 → programs cut to the limit
    long: dict[str, list[str]] = field(default_factory=dict)  # タイトル（制度名） → programs over the recommendation


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def gif_rows(site: Site) -> tuple[list[dict[str, str]], GifExport]:
    """One row per published program (site order), every GIF column present ("" when empty)."""
    result = GifExport()
    rows = []
    for program in site.programs:
        row = dict.fromkeys(GIF_COLUMNS, "")
        for column, (_, make) in MAPPING.items():
            row[column] = make(program, site)
        for column, limit in LIMITS.items():
            if len(row[column]) > limit:
                row[column] = _fit(row[column], limit)
                result.cut.setdefault(column, []).append(program.id)
        for column, limit in RECOMMENDED.items():
            if len(row[column]) > limit:
                result.long.setdefault(column, []).append(program.id)
        rows.append(row)
    result.rows = len(rows)
    return rows, result


def gif_csv(site: Site) -> tuple[str, GifExport]:
    """The CSV text (header = GIF_COLUMNS, CRLF line ends as RFC 4180) and what it cut."""
    rows, result = gif_rows(site)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(GIF_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), result


def export_gif(site: Site, path: Path) -> GifExport:
    """Write the GIF CSV to `path` (UTF-8, no BOM). OSError is the caller's (export_command words it)."""
    text, result = gif_csv(site)
    path.write_text(text, encoding="utf-8", newline="")
    return result


def gif_notes(result: GifExport) -> list[str]:
    """What export says after writing: the texts cut to the model's lengths, the names over its recommendation."""
    notes = []
    for column, ids in result.cut.items():
        notes.append(f"{column}を{LIMITS[column]}文字（{MODEL}の長さ）に切り詰めた制度 {len(ids)}件"
                     f"（最後の1文字を「…」にしました）: {'、'.join(ids)}")
    for column, ids in result.long.items():
        notes.append(f"{column}が{RECOMMENDED[column]}文字（推奨の長さ）を超える制度 {len(ids)}件"
                     f"（切り詰めていません）: {'、'.join(ids)}")
    return notes
