"""Problem kinds about publishing the site (設定's 公開URL); problem_kinds.py registers them in KINDS.

Kept apart from problem_kinds.py, which is near its size limit; declared the same way.
"""

from __future__ import annotations

from navigator.contract.problem_kind import COORDINATOR, ProblemKind, example

BAD_PUBLIC_URL = ProblemKind(
    "bad-public-url", "warning", "公開URLがサイトのアドレスとして使えない", COORDINATOR,
    "公開URL「{url}」は使えません（サイトマップと絶対リンクは作りません）。"
    "https:// か http:// で始まり / で終わるアドレスを、空白を入れずに書いてください（例: https://navi.example.lg.jp/）。",
    example("common.xlsx", "設定", "B10", url="navi.example.lg.jp"),
    fix="警告です（サイトは作れます）。公開URLは、住民がサイトのトップページを開くアドレスから index.html を除いたものです。"
        "ブラウザのアドレス欄からコピーし、最後を / にします。公開URLなしでもサイトは作れますが、"
        "検索エンジン向けのサイトマップ（sitemap.xml）と、どの階層のアドレスでも正しく開く「ページが見つかりません」のページのリンクはできません。",
)
