"""The one way navigator hashes the parts of a key (build cache, page keys, program digests)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable


def digest(*parts: str | bytes) -> str:
    """The sha256 of every part followed by a NUL (text as UTF-8): the same parts, the same key."""
    if all(type(part) is str for part in parts):  # the usual case: encoded once, several times faster
        return hashlib.sha256(("\0".join(parts) + "\0").encode("utf-8", "surrogatepass")).hexdigest()
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def digest_after(*parts: str) -> Callable[..., str]:
    """digest(*parts, *more) as a function of `more`, with `parts` hashed once (a page key's code, template and
    shared values, long and the same for 9,800 pages)."""
    hashed = hashlib.sha256(("\0".join(parts) + "\0").encode("utf-8", "surrogatepass"))

    def rest(*more: str) -> str:
        copy = hashed.copy()
        copy.update(("\0".join(more) + "\0").encode("utf-8", "surrogatepass"))
        return copy.hexdigest()

    return rest
