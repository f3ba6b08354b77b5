"""Reading a resident's answers given as `質問ID=回答` (the `match` command's --answer)."""

from __future__ import annotations

from navigator.contract.numbers import NumberAnswerError, read_number
from navigator.contract.text import normalize_key, quote_list, suggestion
from navigator.model import Site
from navigator.rules import Answer


class AnswerError(ValueError):
    """An answer that names an unknown question or choice; the message is for the user."""


def parse_answers(site: Site, given: list[str] | tuple[str, ...]) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    by_id = {q.id: q for q in site.questions}
    for item in given:
        key = normalize_key(item)
        if "=" not in key:
            raise AnswerError(f"回答「{item}」が読めません。「質問ID=回答」の形で指定してください（例: --answer 住家被害=全壊）。")
        question_id, _, value = (part.strip() for part in key.partition("="))
        question = by_id.get(question_id)
        if question is None:
            raise AnswerError(
                f"質問ID「{question_id}」はありません。質問IDは {quote_list(by_id)} です{suggestion(question_id, list(by_id))}。"
            )
        if question.kind == "number":
            if question_id in answers:
                raise AnswerError(f"質問「{question_id}」の回答が2回指定されています。数値の質問には1つだけ指定してください。")
            try:
                answers[question_id] = read_number(value, question.unit, question.minimum, question.maximum)
            except NumberAnswerError as exc:
                raise AnswerError(f"質問「{question_id}」は数値の質問です。{exc}（例: {question_id}=3）。") from None
            continue
        choice = next((c for c in question.choices if normalize_key(c) == value), None)
        if question.kind == "multiple":
            chosen = set(answers.get(question_id, frozenset()))
            if value and choice is None:
                raise _unknown_choice(question_id, value, question.choices)
            if choice is not None:
                chosen.add(choice)
            answers[question_id] = frozenset(chosen)
            continue
        if not value:
            raise AnswerError(
                f"質問「{question_id}」は単一選択の質問です。「=」の後に選択肢を1つ指定してください"
                f"（答えない場合は --answer を付けません）。")
        if choice is None:
            raise _unknown_choice(question_id, value, question.choices)
        if question_id in answers and answers[question_id] != choice:
            raise AnswerError(f"質問「{question_id}」は単一選択の質問なので、回答は1つだけ指定してください。")
        answers[question_id] = choice
    return answers


def _unknown_choice(question_id: str, value: str, choices: tuple[str, ...]) -> AnswerError:
    return AnswerError(
        f"「{value}」は質問「{question_id}」の選択肢にありません。選択肢は {quote_list(choices, limit=20)} です"
        f"{suggestion(value, choices)}。"
    )
