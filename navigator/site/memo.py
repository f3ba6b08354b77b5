"""What rendering keeps between builds and within one: an object the pipeline makes and passes.

- `fragments`: each program's part of results.js, flow.js, catalog.json and of the lists of
  programs, by a key of everything it is made of (`fragment_key`), as UTF-8. The build cache stores them
  (incremental/store.py), so an unchanged program is not rendered again. As bytes, the files are joined
  from them without encoding again, and the cache loads them without decoding (68 MB at 10,000 programs:
  0.128 → 0.064 s).
- `template_variables`: the variables each template reads (`template_variables`), kept by the
  build cache too: a rebuild does not parse the templates again.
- `digests`: each program's digest, once per object (given back by the workbook replay).

Nothing here is global: a build makes one `RenderMemo` (from what the cache kept), and a
`navigator serve` that builds again and again starts each build from the cache, not from the
last build's leftovers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from navigator.hashing import digest
from navigator.model import Program

if TYPE_CHECKING:  # the build cache and replay use this module without rendering: jinja2 only when it parses
    import jinja2


class ProgramDigests:
    """The hash of everything a program is (its repr: every field, its department and conditions), once per object.

    The workbook replay (incremental/replay.py) keeps them with a workbook's checked programs and
    gives them back (`know`): the same workbook bytes make the same programs.
    """

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Program, str]] = {}

    def __call__(self, program: Program) -> str:
        found = self._by_id.get(id(program))
        if found is None or found[0] is not program:  # the object is held, so its id is not reused meanwhile
            found = self._by_id[id(program)] = (program, program_digest(program))
        return found[1]

    def many(self, programs: Iterable[Program]) -> list[str]:
        """[self(p) for p in programs], in one loop: a rebuild asks for every program's, several times over."""
        by_id, digests = self._by_id, []
        for program in programs:
            found = by_id.get(id(program))
            if found is None or found[0] is not program:
                found = by_id[id(program)] = (program, program_digest(program))
            digests.append(found[1])
        return digests

    def know(self, program: Program, known: str) -> None:
        self._by_id[id(program)] = (program, known)


def program_digest(program: Program) -> str:
    return digest(repr(program))


def fragment_key(kind: str, program_digest_text: str) -> str:
    # The code's fingerprint is not in it: the cache drops every fragment when the code changes.
    return f"{kind}:{program_digest_text}"


class RenderMemo:
    """Rendered parts kept by key. `kept`: what an earlier build left (the cache's); `made`: made by this build."""

    def __init__(self, code: str, kept: dict[str, bytes] | None = None,
                 template_variables: dict[str, frozenset[str] | None] | None = None,
                 digests: ProgramDigests | None = None) -> None:
        self.code = code  # the code fingerprint the fragments were made with (incremental/fingerprint.py)
        self.fragments: dict[str, bytes] = dict(kept or {})
        self.loaded = frozenset(self.fragments)
        self.used: set[str] = set()
        self.template_variables: dict[str, frozenset[str] | None] = dict(template_variables or {})
        self.parsed_templates: dict[str, tuple] = {}  # template_variables' own, for this build only
        self.digests = digests or ProgramDigests()

    def key(self, kind: str, program: Program) -> str:
        return fragment_key(kind, self.digests(program))

    def fragments_of(self, kind: str, programs: Sequence[Program], make: Callable[[Program], str]) -> list[bytes]:
        """The fragments of `kind` for `programs`, as UTF-8: kept, or `make(program)` now; all of them count as used
        by this build. One loop for them all: a data file's parts are 10,000 at 10,000 programs."""
        prefix = fragment_key(kind, "")
        keys = [prefix + program_digest_text for program_digest_text in self.digests.many(programs)]
        self.used.update(keys)
        fragments = self.fragments
        found = list(map(fragments.get, keys))
        if None in found:
            for index, data in enumerate(found):
                if data is None:
                    data = found[index] = fragments[keys[index]] = make(programs[index]).encode("utf-8")
        return found

    def missing(self, programs: Sequence[Program], kinds: Iterable[str]) -> list[Program]:
        """The programs lacking one of their fragments of `kinds`; all of them count as used by this build."""
        fragments, digest_texts = self.fragments, self.digests.many(programs)
        # Kind by kind, each in one pass at C speed (a first build's 9,800 programs: 38 -> 10 ms).
        keys_of_kinds = [[prefix + text for text in digest_texts] for prefix in (fragment_key(kind, "") for kind in kinds)]
        for keys in keys_of_kinds:
            self.used.update(keys)
        if not fragments and keys_of_kinds:  # a first build: every program lacks them all
            return list(programs)
        has = fragments.__contains__
        lacking = set()
        for keys in keys_of_kinds:
            lacking.update(index for index, present in enumerate(map(has, keys)) if not present)
        return [program for index, program in enumerate(programs) if index in lacking]

    def add(self, made: dict[str, bytes]) -> None:
        """Fragments made elsewhere (a worker process) for this build."""
        self.fragments.update(made)
        self.used.update(made)

    def used_fragments(self) -> dict[str, bytes]:
        """What the next build may need: the fragments this build used (the memo does not grow with every edit)."""
        return {key: text for key, text in self.fragments.items() if key in self.used}


def template_variables(env: jinja2.Environment, name: str, known: dict[str, frozenset[str] | None],
                       parsed: dict[str, tuple] | None = None) -> frozenset[str] | None:
    """Every variable a template reads, with the templates it extends and includes; None if it cannot be told.

    `known` keeps the answers (RenderMemo.template_variables: the templates are in the code fingerprint); `parsed`,
    each template's own variables and the templates it names, so that base.html is parsed once, not for every page kind.
    """
    if name not in known:
        import jinja2.meta

        parsed = {} if parsed is None else parsed
        names: set[str] | None = set()
        pending, seen = [name], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            if current not in parsed:
                tree = env.parse(env.loader.get_source(env, current)[0])
                parsed[current] = (jinja2.meta.find_undeclared_variables(tree),
                                   tuple(jinja2.meta.find_referenced_templates(tree)))
            own, referenced_names = parsed[current]
            names |= own
            if None in referenced_names:  # a template named at run time: could read anything
                names = None
                break
            pending.extend(referenced_names)
        known[name] = None if names is None else frozenset(names)
    return known[name]
