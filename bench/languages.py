"""What publishing three more languages costs: a full build of the Japanese site against the same site with
`easy`, `en` and `vi` (issue 18's budget: at most 3x the Japanese build's time).

The sheet set is bench/sheetset.py's (every text unique, Markdown where departments write it), and
each language's 翻訳_<code>.xlsx has a 訳 for every text, as a translator leaves it: `en` and `vi`
made of words of the language's length (a Japanese character is about two of English, 1.5 of
Vietnamese) keeping each line's Markdown (lists, bold, links) and every phone number; `easy` the
Japanese sentences cut short (so the ルビ pass reads real kanji). All 確認済み but vi's programs,
機械翻訳 (the notice on every text). Builds are full (no cache, empty OUT), interleaved, each a
fresh process; medians and their ratio.

    python bench/languages.py                 # 1,000 programs in 50 workbooks, 5 runs
    python bench/languages.py --programs 100 --workbooks 10 --runs 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sheetset  # noqa: E402
from run import checked, measure, median, navigator, run_env, settle  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(1, str(REPO))

LANGUAGES = ("easy", "en", "vi")
WORDS = {
    "en": ("support", "payment", "household", "apply", "the", "city", "office", "documents", "damage", "certificate",
           "housing", "repair", "temporary", "for", "your", "family", "deadline", "within", "months", "after", "disaster",
           "residents", "who", "lost", "their", "home", "please", "bring", "counter", "application", "amount", "yen"),
    "vi": ("hỗ trợ", "tiền", "hộ gia đình", "nộp đơn", "thành phố", "văn phòng", "giấy tờ", "thiệt hại", "giấy chứng nhận",
           "nhà ở", "sửa chữa", "tạm thời", "cho", "gia đình", "thời hạn", "trong", "tháng", "sau", "thiên tai", "người",
           "mất", "nhà", "vui lòng", "mang", "quầy", "đơn", "số tiền", "yên", "của", "và", "được", "có"),
}
LENGTH = {"en": 2.0, "vi": 1.5}
PHONE = re.compile(r"\d{2,4}-\d{2,4}-\d{3,4}")
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def pseudo_translation(code: str, place: str, text: str) -> str:
    """A 訳 of `text` in `code`: each line's Markdown kept, its words the language's, unique to its place."""
    if code == "easy":
        return "\n".join(re.sub(r"、", "。", line) for line in text.split("\n"))
    seed = int(hashlib.sha256(f"{code}:{place}".encode()).hexdigest(), 16)
    words = WORDS[code]
    out = []
    for number, line in enumerate(text.split("\n")):
        marker = re.match(r"^(\s*(?:[-+*]|\d+\.)\s+)?", line).group(0)
        body = line[len(marker):]
        kept = PHONE.findall(body) + [f"[{words[(seed >> 3) % len(words)]}]({url})" for _, url in LINK.findall(body)]
        plain = LINK.sub(r"\1", PHONE.sub("", body))
        count = max(1, round(len(plain) * LENGTH[code] / 6)) if plain.strip() else 0
        chosen = [words[(seed + i * 7 + number) % len(words)] for i in range(count)]
        if chosen and "**" in body:
            chosen[0] = f"**{chosen[0]}**"
        sentence = " ".join(chosen + kept)
        if sentence:
            sentence = sentence[0].upper() + sentence[1:] + f" {seed % 9973 + number}."
        out.append(marker + sentence if body.strip() else line)
    return "\n".join(out)


def write_translations(folder: Path) -> dict[str, int]:
    from navigator.check.translations import TranslationRow, site_texts
    from navigator.check.validate import validate_folder
    from navigator.tooling.translate import write_translation_workbook

    texts = site_texts(validate_folder(folder, with_translations=False).site)
    for code in LANGUAGES:
        rows = [TranslationRow(place, text, pseudo_translation(code, place, text),
                               "機械翻訳" if code == "vi" and place.startswith("制度/") else "確認済み")
                for place, text in texts.items()]
        write_translation_workbook(rows, [], code).save(folder / f"翻訳_{code}.xlsx")
    return {"texts": len(texts), "characters": sum(len(t) for t in texts.values())}


def set_languages(folder: Path, languages: str) -> None:
    workbook = openpyxl.load_workbook(folder / "common.xlsx")
    sheet = workbook["設定"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "言語":
            row[1].value = languages
            break
    else:
        sheet.append(["言語", languages])
    workbook.save(folder / "common.xlsx")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--workbooks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="navigator-languages-"))
    try:
        japanese = sheetset.generate(work / "ja", args.programs, args.workbooks)
        set_languages(japanese, "")
        languages = work / "languages"
        shutil.copytree(japanese, languages)
        set_languages(languages, "\n".join(LANGUAGES))
        sizes = write_translations(languages)
        times: dict[str, list[float]] = {"ja": [], "ja+3": []}
        for _ in range(args.runs):
            for name, folder in (("ja", japanese), ("ja+3", languages)):
                out, cache = work / f"out-{name}", work / f"cache-{name}"
                shutil.rmtree(out, ignore_errors=True)  # a full build: empty OUT, empty cache
                shutil.rmtree(cache, ignore_errors=True)
                settle()
                result = checked(measure(navigator("build", str(folder), "-o", str(out)), env=run_env(cache)),
                                 f"build {name}")
                times[name].append(result["seconds"])
        ja, more = median(times["ja"]), median(times["ja+3"])
        report = {"programs": args.programs, "workbooks": args.workbooks, "runs": args.runs, **sizes,
                  "seconds": times, "median_ja": ja, "median_ja_plus_3": more, "ratio": more / ja,
                  "budget": 3.0, "met": more / ja <= 3.0}
        print(json.dumps(report, ensure_ascii=False, indent=1))
        print(f"{args.programs} programs: Japanese {ja:.2f} s, with easy+en+vi {more:.2f} s: {more / ja:.2f}x "
              f"(budget 3x: {'met' if more / ja <= 3.0 else 'missed'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
