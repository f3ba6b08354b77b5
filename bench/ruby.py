"""ルビ for the やさしい日本語 pages: which morphological analyser, and what annotating costs (navigator/site/ruby.py).

    python bench/ruby.py                 # both analysers (each must be installed: pip install fugashi unidic-lite
                                         # sudachipy sudachidict_core), the sample city's sheets/
    python bench/ruby.py --only sudachi  # the one navigator uses
    python bench/ruby.py --only sudachi --programs 1000   # bench/sheetset.py's 1,000 programs: about 1,100 pages

Measured for each analyser (fugashi + unidic-lite; SudachiPy + sudachidict_core, split mode C):

- **load**: a fresh Python process importing it, loading its dictionary and analysing one word (median of 3).
- **installed**: the bytes of its wheels' files as installed (importlib.metadata).
- **accuracy**: LABELLED, words typical of the city's texts with their reading by hand; a word counts when the
  readings of its tokens, joined, are exactly the expected hiragana (an unknown token counts as wrong).
- **texts**: every resident text of the sample city (navigator.check.translations.site_texts) annotated once,
  without the cache (Furigana.text is an lru_cache: each text new).
- **pages**: the sample site built (`navigator build`), every HTML page annotated whole: the first pass with a
  cold cache, the second pass warm (what a build of many pages sees: the header, footer and the same
  必要書類 on many pages). Per page = total / pages.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from navigator.site.ruby import HAS_KANJI, Furigana, Token, sudachi_tokens, to_hiragana  # noqa: E402

LABELLED = {
    "り災証明書": "りさいしょうめいしょ", "罹災証明書": "りさいしょうめいしょ", "罹災": "りさい",
    "被災者生活再建支援金": "ひさいしゃせいかつさいけんしえんきん", "応急仮設住宅": "おうきゅうかせつじゅうたく",
    "児童扶養手当": "じどうふようてあて", "国民健康保険税": "こくみんけんこうほけんぜい", "義援金": "ぎえんきん",
    "住家": "じゅうか", "半壊": "はんかい", "全壊": "ぜんかい", "大規模半壊": "だいきぼはんかい",
    "市役所本庁舎": "しやくしょほんちょうしゃ", "減免": "げんめん", "猶予": "ゆうよ", "申請": "しんせい",
    "世帯主": "せたいぬし", "災害弔慰金": "さいがいちょういきん", "災害障害見舞金": "さいがいしょうがいみまいきん",
    "災害援護資金": "さいがいえんごしきん", "被災": "ひさい", "住民票": "じゅうみんひょう", "印鑑": "いんかん",
    "本人確認書類": "ほんにんかくにんしょるい", "通帳": "つうちょう", "口座": "こうざ", "振込": "ふりこみ",
    "窓口": "まどぐち", "手続き": "てつづき", "固定資産税": "こていしさんぜい", "介護保険料": "かいごほけんりょう",
    "後期高齢者医療": "こうきこうれいしゃいりょう", "一部負担金": "いちぶふたんきん", "免除": "めんじょ",
    "障害者手帳": "しょうがいしゃてちょう", "被保険者証": "ひほけんしゃしょう", "公営住宅": "こうえいじゅうたく",
    "家屋": "かおく", "解体": "かいたい", "撤去": "てっきょ", "世帯": "せたい", "所得": "しょとく",
    "就学援助": "しゅうがくえんじょ", "母子手帳": "ぼしてちょう", "申請書": "しんせいしょ", "添付": "てんぷ",
    "問い合わせ先": "といあわせさき", "受付": "うけつけ", "期限": "きげん", "被害認定調査": "ひがいにんていちょうさ",
}

_tagger = None


def fugashi_tokens(text: str) -> list[Token]:
    """fugashi + unidic-lite: unidic's `kana` is the written reading (申請 → しんせい, not the pronunciation しんせー)."""
    global _tagger
    if _tagger is None:
        import fugashi

        _tagger = fugashi.Tagger()
    tokens = []
    for word in _tagger(text):
        kana = getattr(word.feature, "kana", None)
        kana = "" if not kana or kana == "*" else kana
        tokens.append(Token(word.surface, to_hiragana(kana), bool(word.is_unk) or not kana))
    return tokens


ANALYSERS = {
    "fugashi": (fugashi_tokens, ("fugashi", "unidic-lite"),
                "import fugashi; fugashi.Tagger()('申請')"),
    "sudachi": (sudachi_tokens, ("SudachiPy", "SudachiDict-core"),
                "from sudachipy import Dictionary, SplitMode; Dictionary(dict='core').tokenizer(mode=SplitMode.C).tokenize('申請')"),
}


def load_seconds(code: str) -> float:
    script = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    return statistics.median(float(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                                                  text=True).stdout) for _ in range(3))


def installed_bytes(distributions) -> int:
    total = 0
    for name in distributions:
        for file in importlib.metadata.distribution(name).files or ():
            path = Path(file.locate())
            if path.is_file():
                total += path.stat().st_size
    return total


def accuracy(analyse) -> tuple[int, list[str]]:
    wrong = []
    furigana = Furigana({}, analyse=analyse)
    for word, expected in LABELLED.items():
        tokens = furigana.tokens(word)
        got = "".join(t.reading if HAS_KANJI.search(t.surface) else to_hiragana(t.surface) for t in tokens)
        if got != expected or any(t.unknown for t in tokens):
            wrong.append(f"{word}→{got}")
    return len(LABELLED) - len(wrong), wrong


def sample_texts(sheets: Path) -> list[str]:
    from navigator.check.translations import site_texts
    from navigator.check.validate import validate_folder

    site = validate_folder(sheets).site
    return list(site_texts(site).values())


def sample_pages(sheets: Path, work: Path) -> list[str]:
    subprocess.run([sys.executable, "-m", "navigator", "build", str(sheets), "-o", str(work / "site")], check=True,
                   capture_output=True, env={"NAVIGATOR_CACHE_DIR": "", **__import__("os").environ})
    return [p.read_text(encoding="utf-8") for p in sorted((work / "site").rglob("*.html"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sheets", type=Path, default=ROOT / "sheets")
    parser.add_argument("--only", choices=sorted(ANALYSERS))
    parser.add_argument("--programs", type=int, help="a generated sheet set of this many programs (bench/sheetset.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sheets = args.sheets
        if args.programs:
            sys.path.insert(0, str(ROOT / "bench"))
            from sheetset import generate

            sheets = generate(Path(tmp) / "sheets", args.programs, max(1, args.programs // 100))
        texts = sample_texts(sheets)
        pages = sample_pages(sheets, Path(tmp))
    chars = sum(map(len, texts))
    page_chars = sum(map(len, pages))
    print(f"texts: {len(texts)} ({chars:,} characters); pages: {len(pages)} ({page_chars:,} characters of HTML)")
    for name, (analyse, distributions, load_code) in ANALYSERS.items():
        if args.only and name != args.only:
            continue
        load = load_seconds(load_code)
        size = installed_bytes(distributions)
        right, wrong = accuracy(analyse)
        furigana = Furigana({}, analyse=analyse)
        started = time.perf_counter()
        for text in texts:
            furigana._text(text)  # uncached
        text_time = time.perf_counter() - started
        furigana = Furigana({}, analyse=analyse)
        started = time.perf_counter()
        for page in pages:
            furigana.annotate(page)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        for page in pages:
            furigana.annotate(page)
        warm = time.perf_counter() - started
        print(f"\n{name}: load {load * 1000:.0f} ms, installed {size / 1e6:.0f} MB, "
              f"accuracy {right}/{len(LABELLED)}")
        print(f"  texts {text_time * 1000:.0f} ms ({text_time / chars * 1e6:.1f} µs/character)")
        print(f"  pages cold {cold * 1000:.0f} ms ({cold / len(pages) * 1000:.2f} ms/page), "
              f"warm {warm * 1000:.0f} ms ({warm / len(pages) * 1000:.2f} ms/page)")
        print("  wrong: " + ("、".join(wrong) or "none"))
        unknown = sorted({w for text in texts for w in furigana.unknown_words(text)})
        print(f"  unknown words in the texts: {len(unknown)} " + "、".join(unknown[:20]))


if __name__ == "__main__":
    main()
