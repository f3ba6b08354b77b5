"""What an incremental build keeps between builds, outside the site.

`navigator build` into OUT keeps, in a folder of the user's cache (never inside OUT, so it is
never published; `NAVIGATOR_CACHE_DIR` moves it, an empty value turns it off):

- each workbook's reading and checking (problems, accounting, programs), keyed by the hash of
  its bytes, its name and, for a department, common.xlsx's result: replayed, problems included,
  when the workbook is unchanged (`WorkbookCache`, validate.py's hook);
- each program's part of results.js and catalog.json (render.FRAGMENTS);
- the manifest of the site last written into OUT: for each file, the key of its inputs, the hash
  of its bytes and what the file system says about it (inode, size, times). A file whose key is
  unchanged and which is still exactly as written is hard-linked into the new site instead of
  rendered again.

Every key starts with `fingerprint()`: the hash of navigator's code, its templates and static
files, and the versions of the libraries that shape the output. Any change there, and nothing
cached is used. Nothing read from the cache is trusted beyond its key: a cache that cannot be
read is an empty cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

CACHE_DIR_ENV = "NAVIGATOR_CACHE_DIR"
KEEP_SITES = 16  # caches of this many OUT folders are kept, the most recently built
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "python-calamine")
STATE_FILE = "state.pickle"
MEMO_FILE = "memo.pickle"
DELTA_FILE = "memo-new.pickle"


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """The hash of everything besides the sheets that shapes what a build reads and writes.

    Computed once per build (build.py clears it first): a few milliseconds.
    """
    from navigator import __version__
    from navigator.site.render import templates_dir

    hashed = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    for library in LIBRARIES:
        try:
            hashed.update(f"{library}={importlib.metadata.version(library)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            hashed.update(f"{library}=?\0".encode())
    package = Path(__file__).resolve().parent.parent
    templates = templates_dir()
    files = [(f"navigator/{p.relative_to(package).as_posix()}", p) for p in package.rglob("*.py")]
    files += [(f"templates/{p.relative_to(templates).as_posix()}", p) for p in templates.rglob("*") if p.is_file()]
    for name, path in sorted(files):
        hashed.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def digest(*parts: str | bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        hashed.update(b"\0")
    return hashed.hexdigest()


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


def cache_root() -> Path | None:
    value = os.environ.get(CACHE_DIR_ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "navigator"


def file_state(path: Path | str) -> tuple[int, int, int, int] | None:
    """What the file system says of a file: a file changed in any way (even put back) no longer matches."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class BuildCache:
    """The cache of one OUT folder. `load()` reads it (empty if missing, unreadable or from other code)."""

    def __init__(self, out: Path) -> None:
        self.out = str(Path(out).absolute())
        root = cache_root()
        self.folder = None if root is None else root / "sites" / digest(self.out)[:24]
        if self.folder is not None and Path(self.out).resolve() in self.folder.resolve().parents:
            self.folder = None  # a cache inside the site would be published (and replaced by every build)
        self.state: dict = {}
        self.memo_loaded: set[str] = set()

    def load(self) -> BuildCache:
        from navigator.site import render

        state = self._read(STATE_FILE)
        if isinstance(state, dict) and state.get("fingerprint") == fingerprint() and state.get("out") == self.out:
            self.state = state
        self.memo_loaded = set(render.FRAGMENTS)
        return self

    def load_fragments(self) -> None:
        """The program parts of the data files and catalog.json (render.FRAGMENTS): read only when pages are made.

        They are kept in two files: all of them as of some build (MEMO_FILE), and those made by the
        builds since (DELTA_FILE, small: an edit rewrites the small file, not the large one).
        """
        from navigator.site import render

        self.delta: dict[str, str] = {}
        self.base_token = None
        if self.state:
            memo = self._read(MEMO_FILE)
            if isinstance(memo, dict) and memo.get("fingerprint") == fingerprint():
                render.FRAGMENTS.update(memo.get("fragments", {}))
                self.base_token = memo.get("token")
                delta = self._read(DELTA_FILE)
                if isinstance(delta, dict) and delta.get("token") == self.base_token and self.base_token:
                    self.delta = delta.get("fragments", {})
                    render.FRAGMENTS.update(self.delta)
        self.memo_loaded = set(render.FRAGMENTS)

    @property
    def manifest(self) -> dict[str, tuple[str | None, str, tuple]]:
        """path → (key, sha256 of the bytes, file_state) of the site last written into OUT."""
        manifest = self.state.get("manifest")
        return manifest if isinstance(manifest, dict) else {}

    @property
    def template_variables(self) -> dict[str, frozenset[str] | None]:
        """render.template_variables() of each template, as of the templates of this fingerprint."""
        found = self.state.get("variables")
        if not isinstance(found, dict):
            return {}
        return {name: names for name, names in found.items() if isinstance(name, str)
                and (names is None or isinstance(names, frozenset) and all(isinstance(n, str) for n in names))}

    @property
    def bytecode_folder(self) -> Path | None:
        """Where jinja2 keeps the compiled templates (each checked against its source when loaded)."""
        return None if self.folder is None else self.folder / "templates"

    @property
    def workbooks(self) -> dict[str, bytes]:
        entries = self.state.get("workbooks")
        return entries if isinstance(entries, dict) else {}

    def save(self, inputs: str, manifest: dict, workbooks: dict[str, bytes], **more) -> None:
        """Keep what this build used (nothing else: the cache does not grow with every edit)."""
        from navigator.site import render

        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(STATE_FILE, {"fingerprint": fingerprint(), "out": self.out, "inputs": inputs,
                                     "manifest": manifest, "workbooks": workbooks, **more})
            used = render.FRAGMENTS_USED
            new = used - self.memo_loaded
            delta = getattr(self, "delta", {})
            if getattr(self, "base_token", None) is None or len(delta) + len(new) > len(used) // 8:
                token = os.urandom(8).hex()  # all of them anew, and no delta
                self._write(MEMO_FILE, {"fingerprint": fingerprint(), "token": token,
                                        "fragments": {k: v for k, v in render.FRAGMENTS.items() if k in used}})
                (self.folder / DELTA_FILE).unlink(missing_ok=True)
            elif new:
                kept = {k: v for k, v in delta.items() if k in used}
                self._write(DELTA_FILE, {"token": self.base_token,
                                         "fragments": {**kept, **{k: render.FRAGMENTS[k] for k in new}}})
            os.utime(self.folder)
            self._prune()
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def touch(self) -> None:
        """Used by a build that changed nothing: kept among the most recently used caches."""
        if self.folder is not None:
            with contextlib.suppress(OSError):
                os.utime(self.folder)

    def _read(self, name: str):
        if self.folder is None:
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                return pickle.load(handle)
        except Exception:  # missing, cut short, from another version: no cache
            return None

    def _write(self, name: str, value) -> None:
        handle = tempfile.NamedTemporaryFile(dir=self.folder, prefix=f".{name}.", delete=False)
        try:
            with handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, self.folder / name)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise

    def _prune(self) -> None:
        sites = [p for p in self.folder.parent.iterdir() if p.is_dir()]
        if len(sites) > KEEP_SITES:
            sites.sort(key=lambda p: p.stat().st_mtime, reverse=True)
            for old in sites[KEEP_SITES:]:
                shutil.rmtree(old, ignore_errors=True)


class WorkbookCache:
    """validate.py's hook: a workbook's reading and checking, replayed when its bytes are unchanged.

    A department's result also depends on common.xlsx's (its key includes it) and on the 制度ID
    seen in the workbooks before it: it is checked on its own (as if first), and its result is
    used only when none of its 制度ID was seen before; otherwise it is checked again in place, so
    the duplicate is reported exactly as without a cache.
    """

    def __init__(self, entries: dict[str, bytes]) -> None:
        self.entries = entries
        self.used: dict[str, bytes] = {}  # what this run used or made: the next run's entries
        self.replayed = 0
        self.checked = 0
        self.prefetched: dict[str, bytes] = {}  # checked before validate.py asked for them (_prefetch)
        self.prefetch_done = False
        self._common_seen = None  # _common_repr's memo: the Common it was made of, and the text
        self._common_text = ""

    def _key(self, kind: str, path: Path, *more: str) -> tuple[str | None, bytes | None]:
        try:
            data = path.read_bytes()
        except OSError:
            return None, None
        return digest(fingerprint(), kind, path.name, hashlib.sha256(data).digest(), *more), data

    def _unchanged(self, path: Path, data: bytes) -> bool:
        try:
            return path.read_bytes() == data  # not saved over while it was being read
        except OSError:
            return False

    def common(self, path: Path, report, read):
        from navigator.contract.problems import Report

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
        report.problems.extend(problems)
        return common

    @staticmethod
    def _check_alone(path: Path, common, read) -> tuple:
        """A department workbook read and checked on its own (as if first): what the cache keeps of it."""
        from navigator.check.validate import Accounting
        from navigator.contract.problems import Report
        from navigator.site.render import program_digest

        own_report, own_accounting, own_ids = Report(), Accounting(), {}
        department, programs = read(path, common, own_ids, own_report, own_accounting)
        digests = [program_digest(p) for p in programs]
        return own_report.problems, department, programs, own_accounting, own_ids, digests

    def _prefetch(self, folder: Path, common, read) -> None:
        """Check the department workbooks of `folder` that the cache does not hold, on every core, before
        validate.py asks for them one by one (a full build: most of them).

        Each is checked on its own, as on a cache miss, and kept as a cache entry (pickled, as
        the cache keeps it), which department() then replays: the same result, by the same path
        as a workbook unchanged since the last build. A workbook saved over meanwhile, or whose
        checking fails, is left to department() (checked again there, in its turn).
        """
        from navigator.contract import sheets as schema
        from navigator.incremental import pool as workers
        from navigator.read.workbook import workbook_files

        common_repr = self._common_repr(common)
        todo = []
        try:
            paths = workbook_files(folder)
        except OSError:
            return
        for path in paths:
            if path.name.lower() in schema.COMMON_WORKBOOK_NAMES:
                continue
            key, data = self._key("department", path, common_repr)
            if key is not None and key not in self.entries:
                todo.append((path, key, data))
        weights = [1 + len(data) // 200 for _, _, data in todo]  # about one per program page's rendering time
        if len(todo) < 2 or not workers.would_share(weights):
            return

        def check(index: int) -> bytes | None:
            path, _, data = todo[index]
            try:
                result = self._check_alone(path, common, read)
            except Exception:  # noqa: BLE001 - raised again where validate.py checks it, in its turn
                return None
            if not self._unchanged(path, data):
                return None
            return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)

        for (_, key, _), entry in zip(todo, workers.run(len(todo), check, weights)):
            if entry is not None:
                self.prefetched[key] = entry

    def department(self, path: Path, common, seen_ids: dict[str, str], report, accounting, read):
        from navigator.site.render import known_program_digest

        if not self.prefetch_done:
            self.prefetch_done = True
            self._prefetch(path.parent, common, read)
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
            result = pickle.loads(entry)
            self.used[key] = entry
            if checked_now:
                self.checked += 1
            else:
                self.replayed += 1
        problems, department, programs, own_accounting, own_ids, digests = result
        for program, digest_text in zip(programs, digests):
            known_program_digest(program, digest_text)  # the same bytes, the same programs: no repr again
        if any(program_id in seen_ids for program_id in own_ids):
            # A 制度ID also in an earlier workbook: check this one again where it stands.
            return read(path, common, seen_ids, report, accounting)
        report.problems.extend(problems)
        for counter in dataclasses.fields(accounting):
            setattr(accounting, counter.name, getattr(accounting, counter.name) + getattr(own_accounting, counter.name))
        seen_ids.update(own_ids)
        return department, programs

    def _common_repr(self, common) -> str:
        """stable_repr(common), made once a build: every department is checked against the same Common,
        which nothing changes once common.xlsx has been read (CommonReader.read made it)."""
        if self._common_seen is not common:
            self._common_seen, self._common_text = common, stable_repr(common)
        return self._common_text

    def entries_to_keep(self) -> dict[str, bytes]:
        return {key: value if isinstance(value, bytes) else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                for key, value in self.used.items()}
