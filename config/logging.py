"""One structured log line per request.

It names the method, the route pattern (``conventions/<str:reference>/``, not the concrete
path: no reference, token or search text), the status and the duration; never the user, the
address or the query string, so that the logs hold no personal data.
"""

import logging
import time

logger = logging.getLogger("conventions.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "route": match.route if match else "<unresolved>",
                "view": match.view_name if match else "",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


# The attributes every LogRecord has: what is left are the `extra` fields of a log call.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class TerminalFormatter(logging.Formatter):
    """Development: one readable line, « 10:02:03 INFO conventions.requests request GET
    conventions/<str:reference>/ 200 12.5 ms », the extra fields as values; production
    writes JSON (pythonjsonlogger) for the log collector."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", "%H:%M:%S")

    def format(self, record):
        line = super().format(record)
        extra = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        if record.name == "conventions.requests" and "route" in extra:
            return (
                f"{line} {extra['method']} /{extra['route']} {extra['status']} "
                f"{extra['duration_ms']} ms"
            )
        if extra:
            line += " " + " ".join(f"{k}={v}" for k, v in extra.items())
        return line
