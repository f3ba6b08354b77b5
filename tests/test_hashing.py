"""navigator.hashing: the one way keys are hashed, and its shortcut for many keys that begin alike."""

from navigator.hashing import digest, digest_after


def test_a_digest_is_of_its_parts_in_order():
    assert digest("a", "b") == digest("a", "b")
    assert digest("a", "b") != digest("b", "a")
    assert digest("ab") != digest("a", "b")  # each part ends with a NUL: no two ways to split the same text
    assert digest("申請", b"\x00\xff") == digest("申請", b"\x00\xff")


def test_digest_after_gives_what_digest_gives_with_the_same_parts():
    page_key = digest_after("code", "program.html", "settings=…" * 100)
    assert page_key("path='programs/a.html'", "", "") == digest("code", "program.html", "settings=…" * 100,
                                                                 "path='programs/a.html'", "", "")
    # The shared parts are hashed once and copied: one page's key does not change the next one's.
    assert page_key("b") == digest("code", "program.html", "settings=…" * 100, "b")
    assert page_key("b") == page_key("b") != page_key("c")
