"""Problem kinds about the site's addresses (設定's 公開URL, the links written in cells' text); problem_kinds.py registers
them in KINDS.

Kept apart from problem_kinds.py, which is near its size limit; declared the same way.
"""

from __future__ import annotations

from navigator.contract.problem_kind import COORDINATOR, DEPARTMENT, ProblemKind, example

BAD_PUBLIC_URL = ProblemKind(
    "bad-public-url", "warning", "公開URLがサイトのアドレスとして使えない", COORDINATOR,
    "公開URL「{url}」は使えません（サイトマップと絶対リンクは作りません）。"
    "https:// か http:// で始まり / で終わるアドレスを、空白を入れずに書いてください（例: https://navi.example.lg.jp/）。",
    example("common.xlsx", "設定", "B10", url="navi.example.lg.jp"),
    fix="警告です（サイトは作れます）。公開URLは、住民がサイトのトップページを開くアドレスから index.html を除いたものです。"
        "ブラウザのアドレス欄からコピーし、最後を / にします。公開URLなしでもサイトは作れますが、"
        "検索エンジン向けのサイトマップ（sitemap.xml）と、どの階層のアドレスでも正しく開く「ページが見つかりません」のページのリンクはできません。",
)

BAD_TEXT_LINK = ProblemKind(
    "bad-text-link", "warning", "文章中のリンクのアドレスが開けない形", DEPARTMENT,
    "{header}の文章中のリンク「{label}」のアドレス「{url}」では、サイトで正しく開けません。"
    "https:// か http:// で始まるアドレスを書いてください（メールは mailto:、電話は tel: で始めます）。",
    example("福祉課.xlsx", "制度", "F4", header="支援内容", label="申請書", url="www.example.jp/shinsei.pdf"),
    fix="警告です（サイトは作れます）。リンクの（ ）の中のアドレスを、ブラウザのアドレス欄からコピーして https:// から全部"
        "貼り付けます。https:// のないアドレスはサイトの中のページを指してしまい、javascript: などはリンクになりません。",
)
