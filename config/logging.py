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
