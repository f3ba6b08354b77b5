"""The tests' HTTP servers on 127.0.0.1: threaded, and quiet about a client that went away."""

from __future__ import annotations

import http.server
import sys


class LocalServer(http.server.ThreadingHTTPServer):
    """A browser that moved on, or a link check that timed out, closes its connection before the answer is written:
    socketserver would print that BrokenPipeError's traceback to stderr, into whichever test runs then (a CLI test
    that asserts an empty stderr failed so)."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
