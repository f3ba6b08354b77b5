"""What an incremental build keeps between builds, outside the site.

`navigator build` into OUT keeps, in a folder of the user's cache (never inside OUT, so it is
never published; `NAVIGATOR_CACHE_DIR` moves it, an empty value turns it off):

- each workbook's reading and checking (problems, accounting, programs), keyed by the hash of
  its bytes, its name and, for a department, common.xlsx's result: replayed, problems included,
  when the workbook is unchanged (incremental/replay.py);
- the RenderMemo's fragments (each program's part of the data files, catalog.json and the lists
  of programs) and the templates' variables (site/memo.py);
- the manifest of the site last written into OUT: for each file, the key of its inputs, the hash
  of its bytes and what the file system says about it (inode, size, times). A file whose key is
  unchanged and which is still exactly as written is hard-linked into the new site instead of
  rendered again (site/write.py).

Every key starts with the code fingerprint (incremental/fingerprint.py): the hash of navigator's
code, its templates and static files, and the versions of the libraries that shape the output.
Any change there, and nothing cached is used. Nothing read from the cache is trusted beyond its
key: a cache that cannot be read is an empty cache.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import signal
import tempfile
from pathlib import Path

from navigator.hashing import digest
from navigator.site.memo import ProgramDigests, RenderMemo
from navigator.site.write import Manifest

CACHE_DIR_ENV = "NAVIGATOR_CACHE_DIR"
KEEP_SITES = 16  # caches of this many OUT folders are kept, the most recently built
STATE_FILE = "state.pickle"
MEMO_FILE = "memo.pickle"
DELTA_FILE = "memo-new.pickle"
# A memo this large (its fragments' bytes) is written by a forked process while the build goes on (`write_memo_early`):
# 68 MB at 10,000 programs, 0.24 s of pickling and writing that would otherwise end the build on one core.
EARLY_MEMO_BYTES = 16 << 20


def cache_root() -> Path | None:
    value = os.environ.get(CACHE_DIR_ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "navigator"


class BuildCache:
    """The cache of one OUT folder, for the code of `code` (its fingerprint). `load()` reads it (empty if
    missing, unreadable or from other code)."""

    def __init__(self, out: Path, code: str) -> None:
        self.out = str(Path(out).absolute())
        self.code = code
        root = cache_root()
        self.folder = None if root is None else root / "sites" / digest(self.out)[:24]
        if self.folder is not None and Path(self.out).resolve() in self.folder.resolve().parents:
            self.folder = None  # a cache inside the site would be published (and replaced by every build)
        self.state: dict = {}
        self._delta: dict[str, str] = {}
        self._base_token: str | None = None
        self._early: _EarlyMemo | None = None

    def load(self) -> BuildCache:
        state = self._read(STATE_FILE)
        if isinstance(state, dict) and state.get("fingerprint") == self.code and state.get("out") == self.out:
            self.state = state
        return self

    def memo(self, digests: ProgramDigests) -> RenderMemo:
        """The RenderMemo the last build left: read only by a build that may make pages (pipeline.py's _Rendering).

        Its fragments are kept in two files: all of them as of some build (MEMO_FILE), and those
        made by the builds since (DELTA_FILE, small: an edit rewrites the small file, not the large one).
        """
        fragments: dict[str, bytes] = {}
        self._delta, self._base_token = {}, None
        if self.state:
            memo = self._read(MEMO_FILE)
            if isinstance(memo, dict) and memo.get("fingerprint") == self.code:
                fragments.update(memo.get("fragments", {}))
                self._base_token = memo.get("token")
                delta = self._read(DELTA_FILE)
                if isinstance(delta, dict) and delta.get("token") == self._base_token and self._base_token:
                    self._delta = delta.get("fragments", {})
                    fragments.update(self._delta)
        return RenderMemo(self.code, fragments, self._template_variables(), digests)

    @property
    def manifest(self) -> Manifest:
        """path → (key, sha256 of the bytes, file_state) of the site last written into OUT."""
        manifest = self.state.get("manifest")
        return manifest if isinstance(manifest, dict) else {}

    def _template_variables(self) -> dict[str, frozenset[str] | None]:
        """The variables of each template, as of the templates of this fingerprint."""
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

    def write_memo_early(self, memo: RenderMemo) -> None:
        """Start writing the memo file now, in a forked process, when it will be written whole and is large: once
        the fragments are made (the data phase), the planning of the pages runs on one core, the other free for it.
        `save` takes that file if the memo is still the same then (its fragments and the used ones only grow, so the
        same counts mean the same memo), else writes it itself, as without this."""
        if self.folder is None or self._base_token is not None or self._early is not None:
            return  # no cache; or a memo was loaded, and a small delta may do (save decides)
        from navigator.workers import can_fork

        if not can_fork() or sum(map(len, memo.fragments.values())) < EARLY_MEMO_BYTES:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._early = _EarlyMemo.start(self.folder, self.code, memo)
        except OSError:
            self._early = None  # written at the end, as ever

    def abandon(self) -> None:
        """The build stops without saving: no memo file is left half made (write_memo_early's)."""
        if self._early is not None:
            self._early.abandon()
            self._early = None

    def save(self, inputs: str, manifest: Manifest, workbooks: dict[str, bytes], memo: RenderMemo, **more) -> None:
        """Keep what this build used (nothing else: the cache does not grow with every edit)."""
        if self.folder is None:
            return
        early, self._early = self._early, None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(STATE_FILE, {"fingerprint": self.code, "out": self.out, "inputs": inputs, "manifest": manifest,
                                     "workbooks": workbooks, "variables": dict(memo.template_variables), **more})
            if early is not None and early.finish(memo, self.folder / MEMO_FILE):
                (self.folder / DELTA_FILE).unlink(missing_ok=True)  # the whole memo, written while the pages were made
            else:
                self._write_memo(memo)
            os.utime(self.folder)
            self._prune()
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
        finally:
            if early is not None:
                early.abandon()  # if not taken

    def _write_memo(self, memo: RenderMemo) -> None:
        """The memo's used fragments, whole (MEMO_FILE), or only those new since it was written (DELTA_FILE)."""
        used = memo.used_fragments()
        new = used.keys() - memo.loaded
        if self._base_token is None or len(self._delta) + len(new) > len(used) // 8:
            self._write(MEMO_FILE, _whole_memo(self.code, used))
            (self.folder / DELTA_FILE).unlink(missing_ok=True)
        elif new:
            kept = {k: v for k, v in self._delta.items() if k in used}
            self._write(DELTA_FILE, {"token": self._base_token, "fragments": {**kept, **{k: used[k] for k in new}}})

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


def _whole_memo(code: str, fragments: dict[str, bytes]) -> dict:
    """What MEMO_FILE holds: every fragment, under a new token (a delta of an earlier token no longer applies)."""
    return {"fingerprint": code, "token": os.urandom(8).hex(), "fragments": fragments}


class _EarlyMemo:
    """A memo file being written by a forked process (BuildCache.write_memo_early), into a temporary file that
    `finish` puts in place, once the process has ended well and the memo is still the one it writes."""

    def __init__(self, pid: int, path: Path, counts: tuple[int, int]) -> None:
        self.pid, self.path, self.counts = pid, path, counts
        self.status: int | None = None

    @classmethod
    def start(cls, folder: Path, code: str, memo: RenderMemo) -> _EarlyMemo:
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=f".{MEMO_FILE}.")
        pid = os.fork()
        if pid == 0:  # the writer: nothing of the build's own (its exit handlers, its buffered output) runs here
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build answers Ctrl+C, and stops this
                with os.fdopen(descriptor, "wb") as handle:
                    pickle.dump(_whole_memo(code, memo.used_fragments()), handle, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(descriptor)
        return cls(pid, Path(name), (len(memo.fragments), len(memo.used)))

    def _wait(self) -> bool:
        if self.status is None:
            self.status = os.waitpid(self.pid, 0)[1]
        return self.status == 0

    def finish(self, memo: RenderMemo, target: Path) -> bool:
        """Whether the file is in place as `target`: written, and the memo as it was when it was started."""
        if not self._wait() or (len(memo.fragments), len(memo.used)) != self.counts:
            return False
        os.replace(self.path, target)
        return True

    def abandon(self) -> None:
        if self.status is None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                self._wait()
        self.path.unlink(missing_ok=True)
