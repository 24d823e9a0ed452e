"""gunicorn's access log without the respondents' requests (``ita serve`` uses this logger).

An access log line holds the client's address, the time to the second and the browser; for a
survey's public pages that would put back, outside the database, exactly what the response table
leaves out. Every other request is logged as usual.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

PUBLIC_PREFIX = "/s/"


class SurveyPrivateLogger(Logger):  # type: ignore[misc]
    """Log every request except those to the public survey pages."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if str(environ.get("PATH_INFO", "")).startswith(PUBLIC_PREFIX):
            return
        super().access(resp, req, environ, request_time)
