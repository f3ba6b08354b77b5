"""The merged, published model as open data (`catalog.json`), documented in docs/catalog.md."""

from __future__ import annotations

import json

from navigator.model import Program, Question, Site
from navigator.site.pages import category_page

SCHEMA_VERSION = 1


def question_data(question: Question) -> dict:
    return {
        "id": question.id,
        "text": question.text,
        "help": question.help,
        "type": question.kind,
        "choices": list(question.choices),
        "unit": question.unit,
        "min": question.minimum if question.kind == "number" else None,
        "max": question.maximum if question.kind == "number" else None,
        "display_conditions": [line.as_dict() for line in question.display_conditions],
    }


def program_data(program: Program, page: str) -> dict:
    deadline = program.deadline
    return {
        "id": program.id,
        "name": program.name,
        "category": program.category,
        "department": program.department.name,
        "summary": program.summary,
        "target": program.target,
        "benefit": program.benefit,
        "deadline": None if deadline is None else {
            "date": deadline.date.isoformat() if deadline.date else None, "text": deadline.text},
        "how_to_apply": program.how_to_apply,
        "documents": list(program.documents),
        "contact": program.contact,
        "online_url": program.online_url or None,
        "detail_url": program.detail_url or None,
        "page": page,
        "conditions": [[req.as_dict() for req in row.requirements] for row in program.condition_rows],
    }


def catalog(site: Site, program_page) -> dict:
    """`program_page(program)` gives the program's page path relative to the site root."""
    settings = site.settings
    return {
        "schema_version": SCHEMA_VERSION,
        "settings": {
            "site_name": settings.site_name,
            "municipality": settings.municipality,
            "intro": settings.intro,
            "contact": settings.contact,
            "disclaimer": settings.disclaimer,
            "notice": settings.notice,
        },
        "questions": [question_data(q) for q in site.questions],
        "categories": [{"name": c.name, "description": c.description, "page": category_page(c)}
                       for c in site.categories],
        "departments": [{"name": d.name, "phone": d.phone, "email": d.email, "office": d.office}
                        for d in site.departments],
        "documents": [{"name": d.name, "description": d.description, "source": d.source, "issued_by": d.issued_by or None}
                      for d in site.documents],
        "programs": [program_data(p, program_page(p)) for p in site.programs],
    }


def catalog_json(site: Site, program_page) -> str:
    return json.dumps(catalog(site, program_page), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
