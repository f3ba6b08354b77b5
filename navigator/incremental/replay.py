"""Replaying a workbook's reading and checking when its bytes are unchanged (validate.py's cache hook).

The same problems, accounting and programs as checking it again, without reading it again; the
workbooks the cache lacks are checked on every core first (`prefetch`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from navigator.check.validate import check_alone, take_alone, translations_alone
from navigator.contract.problems import Report
from navigator.hashing import digest
from navigator.site.memo import ProgramDigests, program_digest
from navigator.workers import Pool


def stable_repr(value) -> str:
    """repr() with sets in sorted order (a set's own order changes from run to run)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{f.name}={stable_repr(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable_repr(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "[" + ", ".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items()) + "}"
    return repr(value)


class WorkbookCache:
    """validate.py's hook: a workbook's reading and checking, replayed when its bytes are unchanged.

    A department's result also depends on common.xlsx's (its key includes it) and on the 制度ID
    seen in the workbooks before it: it is checked on its own (as if first), and its result is
    used only when none of its 制度ID was seen before; otherwise it is checked again in place, so
    the duplicate is reported exactly as without a cache.
    """

    def __init__(self, entries: dict[str, bytes], code: str, pool: Pool, digests: ProgramDigests) -> None:
        self.entries = entries
        self.code = code  # the code fingerprint: in every key
        self.pool = pool
        self.digests = digests  # the programs' digests, kept with them and given back on replay
        self.used: dict[str, bytes] = {}  # what this run used or made: the next run's entries
        self.replayed = 0
        self.checked = 0
        self.prefetched: dict[str, bytes] = {}  # checked before validate.py asked for them (prefetch)
        # What this process checked itself in prefetch, as it was made: the same as its entry unpickled, without the
        # unpickling (10,000 programs: about 75 ms for the 100 departments, this process's alone after the run).
        self._made_here: dict[str, tuple] = {}
        self._common_seen = None  # _common_repr's memo: the Common it was made of, and the text
        self._common_text = ""

    def _key(self, kind: str, path: Path, *more: str) -> tuple[str | None, bytes | None]:
        try:
            data = path.read_bytes()
        except OSError:
            return None, None
        return digest(self.code, kind, path.name, hashlib.sha256(data).digest(), *more), data

    def _unchanged(self, path: Path, data: bytes) -> bool:
        try:
            return path.read_bytes() == data  # not saved over while it was being read
        except OSError:
            return False

    def common(self, path: Path, report, read):
        key, data = self._key("common", path)
        entry = self.entries.get(key) if key else None
        if entry is not None:
            problems, common = pickle.loads(entry)
            self.used[key] = entry
            self.replayed += 1
        else:
            own = Report()
            common = read(own)
            problems = own.problems
            self.checked += 1
            if key and self._unchanged(path, data):
                self.used[key] = (problems, common)
        report.replay(problems)
        return common

    @staticmethod
    def _check_alone(path: Path, common, read) -> tuple:
        """A department workbook read and checked on its own (as if first): what the cache keeps of it."""
        checked = check_alone(path, common, read)
        return (*checked, [program_digest(p) for p in checked[2]])

    def prefetch(self, paths: list[Path], common, read, translation_paths: list[Path] = (), read_translations=None,
                 meanwhile: Callable[[], None] | None = None) -> None:
        """Check the department workbooks `paths` and read the translation workbooks `translation_paths` that the
        cache does not hold, on every core, before validate.py asks for them one by one (a full build: most of them).

        Each is checked on its own, as on a cache miss, and kept as a cache entry (pickled, as
        the cache keeps it), which department() and translations() then replay: the same result, by the same
        path as a workbook unchanged since the last build. A workbook saved over meanwhile, or whose
        checking fails, is left to department() (checked again there, in its turn). `meanwhile()`: done in this
        process while the workers check, if they do (Pool.run's).
        """
        common_repr = self._common_repr(common)
        todo = []
        for path in translation_paths:  # the largest workbooks first: chunks of equal weight balance best so
            key, data = self._key("translations", path)
            if key is not None and key not in self.entries:
                todo.append((path, key, data, lambda path: translations_alone(path, read_translations)))
        for path in paths:
            key, data = self._key("department", path, common_repr)
            if key is not None and key not in self.entries:
                todo.append((path, key, data, lambda path: self._check_alone(path, common, read)))
        weights = [1 + len(data) // 200 for _, _, data, _ in todo]  # about one per program page's rendering time
        if len(todo) < 2 or not self.pool.would_share(weights):
            return

        here = os.getpid()

        def check(index: int) -> bytes | None:
            path, key, data, work = todo[index]
            try:
                result = work(path)
            except Exception:  # noqa: BLE001 - raised again where validate.py checks it, in its turn
                return None
            if not self._unchanged(path, data):
                return None
            if os.getpid() == here:
                self._made_here[key] = result
            return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)

        for (_, key, _, _), entry in zip(todo, self.pool.run(len(todo), check, weights, meanwhile=meanwhile)):
            if entry is not None:
                self.prefetched[key] = entry

    def translations(self, path: Path, report, read):
        """A translation workbook's rows (check/translations.py's read_translation_rows), replayed when its bytes
        are unchanged: the same problems and rows, without reading it again."""
        key, data = self._key("translations", path)
        entry = self.entries.get(key) if key else None
        if entry is None and key in self.prefetched:
            entry = self.prefetched[key]
            self.checked += 1
        elif entry is not None:
            self.replayed += 1
        if entry is not None:
            problems, rows = self._made_here.pop(key, None) or pickle.loads(entry)
            self.used[key] = entry
        else:
            problems, rows = translations_alone(path, read)
            self.checked += 1
            if key and self._unchanged(path, data):
                self.used[key] = (problems, rows)
        report.replay(problems)
        return rows

    def department(self, path: Path, common, seen_ids: dict[str, str], report, accounting, read):
        key, data = self._key("department", path, self._common_repr(common))
        entry = self.entries.get(key) if key else None
        checked_now = entry is None and key in self.prefetched
        if checked_now:
            entry = self.prefetched[key]
        if entry is None:
            result = self._check_alone(path, common, read)
            self.checked += 1
            if key and self._unchanged(path, data):
                self.used[key] = result  # pickled when the cache is saved
        else:
            result = self._made_here.pop(key, None) or pickle.loads(entry)
            self.used[key] = entry
            if checked_now:
                self.checked += 1
            else:
                self.replayed += 1
        *checked, digests = result
        for program, digest_text in zip(checked[2], digests):
            self.digests.know(program, digest_text)  # the same bytes, the same programs: no repr again
        return take_alone(tuple(checked), path, common, seen_ids, report, accounting, read)

    def _common_repr(self, common) -> str:
        """stable_repr(common), made once a build: every department is checked against the same Common,
        which nothing changes once common.xlsx has been read (CommonReader.read made it)."""
        if self._common_seen is not common:
            self._common_seen, self._common_text = common, stable_repr(common)
        return self._common_text

    def entries_to_keep(self) -> dict[str, bytes]:
        return {key: value if isinstance(value, bytes) else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                for key, value in self.used.items()}
