"""A language's edition of the site: the model with each text residents read in that language.

A text is replaced by its 訳 when the translation workbook has one that counts (check/translations.py
put those in Site.translations); otherwise it stays Japanese, as `Untranslated`, which the pages show
marked `lang="ja"` and labelled, in the page's language, as not translated yet. A 訳 whose 状態 is
機械翻訳 is a `MachineTranslated`, shown with a notice. Both are str: every function of the site takes
them as it takes Japanese, and jinja2 asks them for their HTML (`__html__`).

What stays as it is: the keys residents' answers are made of (choices, 制度ID), so a results link
opened in another language gives the same programs; choices and documents get a `label` (Question.labels,
DocumentNeed.label, Document.label) for display only.
"""

from __future__ import annotations

import dataclasses
import re

from markupsafe import escape

from navigator.contract import languages as lang
from navigator.contract.text import normalize_key
from navigator.model import Deadline, Department, DocumentNeed, Program, Question, Settings, Site
from navigator.site.interface import Interface


class Untranslated(str):
    """Japanese text on a page of another language: marked lang="ja", labelled in the page's language.

    `label` is short, for a name in a line (「Japanese」); `note` a sentence, over a block of text."""

    label: str = ""
    note: str = ""
    label_lang: str = ""

    def __new__(cls, text: str, label: str = "", note: str = "", label_lang: str = ""):
        made = super().__new__(cls, text)
        made.label, made.note, made.label_lang = label, note, label_lang
        return made

    def __repr__(self) -> str:  # page keys and program digests tell it from the same text translated
        return f"{type(self).__name__}({str.__repr__(self)})"

    def __reduce__(self):  # to worker processes and the build cache, labels included
        return type(self), (str(self), self.label, self.note, self.label_lang)

    def again(self, text: str):
        """Another text of the same kind and labels (a line of this one)."""
        return type(self)(text, self.label, self.note, self.label_lang)

    def __html__(self) -> str:
        return self.inline(str(escape(str(self))))

    def inline(self, html: str) -> str:
        return (f'<span lang="ja" class="untranslated">{html}<span class="untranslated-label" lang="{self.label_lang}">'
                f'{escape(self.label)}</span></span>')

    def block(self, html: str) -> str:
        """Converted Markdown of the text, marked."""
        if not html:
            return html
        return (f'<div lang="ja" class="untranslated"><p class="untranslated-label" lang="{self.label_lang}">'
                f'{escape(self.note)}</p>{html}</div>')


class MachineTranslated(Untranslated):
    """A 訳 whose 状態 is 機械翻訳: in the page's language, with a notice."""

    def inline(self, html: str) -> str:
        return f'<span class="machine-translated">{html}<span class="machine-label">{escape(self.label)}</span></span>'

    def block(self, html: str) -> str:
        if not html:
            return html
        return f'<div class="machine-translated"><p class="machine-label">{escape(self.note)}</p>{html}</div>'


def marked_html(text: str, html: str, block: bool = True) -> str:
    """The HTML made of `text` (Markdown, contact lines), marked as its kind says (plain text: as it is)."""
    if isinstance(text, Untranslated):
        return text.block(html) if block else text.inline(html)
    return html


def is_marked(text) -> bool:
    return isinstance(text, Untranslated)


class _Texts:
    """The edition's text for each 場所: the 訳 when it counts, else the Japanese, marked."""

    def __init__(self, translations: dict[str, tuple[str, str]], language: Interface) -> None:
        self.translations = translations
        self.japanese = Untranslated("", language.gettext("日本語"),
                                     language.gettext("まだ翻訳されていないため、日本語で表示しています。"), language.html_lang)
        self.machine = MachineTranslated("", language.gettext("機械翻訳"),
                                         language.gettext("機械翻訳です。正しくない訳があるかもしれません。"), language.html_lang)

    def __call__(self, place: str, japanese: str) -> str:
        if not japanese.strip():
            return japanese
        found = self.translations.get(place)
        if found is None:
            return self.japanese.again(japanese)
        translation, state = found
        return self.machine.again(translation) if state == lang.MACHINE else translation


def edition(site: Site, language: Interface) -> Site:
    """The site in `language`: every text residents read translated or marked (the places of check/translations)."""
    text = _Texts(site.translations.get(language.code, {}), language)
    settings = _settings(site.settings, text)
    questions = tuple(_question(q, text) for q in site.questions)
    category_names = {c.name: text(f"分類/{c.name}/分類名", c.name) for c in site.categories}
    categories = tuple(dataclasses.replace(c, name=category_names[c.name],
                                           description=text(f"分類/{c.name}/説明", c.description))
                       for c in site.categories)
    departments = {d: _department(d, text) for d in site.departments}
    for program in site.programs:  # a department known only through its programs (tests build such sites)
        if program.department not in departments:
            departments[program.department] = _department(program.department, text)
    document_labels = {normalize_key(d.name): text(f"書類/{d.name}/書類名", d.name) for d in site.documents}
    documents = tuple(dataclasses.replace(d, label=document_labels[normalize_key(d.name)],
                                          description=text(f"書類/{d.name}/説明", d.description),
                                          source=text(f"書類/{d.name}/入手先", d.source))
                      for d in site.documents)
    programs = tuple(_program(p, text, category_names, departments, document_labels) for p in site.programs)
    counter_order = tuple(_department_name(site, name, departments) for name in site.counter_order)
    return dataclasses.replace(site, settings=settings, questions=questions, categories=categories,
                               departments=tuple(departments[d] for d in site.departments), programs=programs,
                               documents=documents, counter_order=counter_order, unpublished=())


def _settings(settings: Settings, text: _Texts) -> Settings:
    from navigator.contract import sheets as schema

    changes = {item.field: text(f"設定/{item.header}", getattr(settings, item.field))
               for item in schema.SETTINGS.items if item.header in schema.RESIDENT_SETTINGS}
    return dataclasses.replace(settings, **changes)


def _question(question: Question, text: _Texts) -> Question:
    labels = tuple(text(f"選択肢/{question.id}/{choice}", choice) for choice in question.choices)
    return dataclasses.replace(question, text=text(f"質問/{question.id}/質問文", question.text),
                               help=text(f"質問/{question.id}/補足説明", question.help),
                               unit=text(f"質問/{question.id}/単位", question.unit), labels=labels)


def _department(department: Department, text: _Texts) -> Department:
    return dataclasses.replace(department, name=text(f"部署/{department.file}/部署名", department.name),
                               office=text(f"部署/{department.file}/窓口", department.office))


def _department_name(site: Site, name: str, departments: dict[Department, Department]) -> str:
    found = next((d for d in site.departments if d.name == name), None)
    return departments[found].name if found is not None else name


_NOTE_AT_END = re.compile(r"^(.*?)\s*[（(]([^（）()]*)[）)]\s*$")


def _program(program: Program, text: _Texts, category_names: dict[str, str], departments: dict[Department, Department],
             document_labels: dict[str, str]) -> Program:
    place = f"制度/{program.id}/"
    deadline = program.deadline
    if deadline is not None and deadline.date is None:
        deadline = Deadline(None, text(place + "申請期限", deadline.text))
    documents_text = text(place + "必要書類", "\n".join(program.documents))
    lines = documents_text.split("\n") if documents_text else []
    translated_lines = len(lines) == len(program.documents) and not isinstance(documents_text, Untranslated)
    needs = tuple(_need(need, lines[i] if translated_lines else None, document_labels, documents_text, text)
                  for i, need in enumerate(program.needs))
    documents = tuple(documents_text.again(line) if is_marked(documents_text) else line
                      for line in lines) if translated_lines else tuple(
        text.japanese.again(line) for line in program.documents)
    translated = dataclasses.replace(
        program, name=text(place + "制度名", program.name), category=category_names.get(program.category, program.category),
        summary=text(place + "概要", program.summary), target=text(place + "対象者", program.target),
        benefit=text(place + "支援内容", program.benefit), deadline=deadline,
        how_to_apply=text(place + "申請方法", program.how_to_apply), documents=documents,
        contact=text(place + "問い合わせ先", program.contact), department=departments[program.department], needs=needs)
    return translated


def _need(need: DocumentNeed, line: str | None, document_labels: dict[str, str], documents_text: str,
          text: _Texts) -> DocumentNeed:
    """A document line in the edition: its 書類 sheet name translated (the key stays), its note from the 訳's line."""
    label = document_labels.get(normalize_key(need.name))
    note = need.note
    if line is not None:
        found = _NOTE_AT_END.match(line)
        if label is None:  # a line naming no 書類: the translated line is its name
            label = found.group(1) if need.note and found else line
        if need.note:
            note = found.group(2) if found else line
        if is_marked(documents_text):
            label = documents_text.again(label)
    elif label is None:
        label = text.japanese.again(need.name)
    return dataclasses.replace(need, label=label, note=note)


