"""Answers /healthz before host validation and HTTPS redirects, so a load balancer
probing by IP address over plain HTTP gets the real state, not a 400 or a 301."""

import json

from django.http import HttpResponse

from .checks import run_checks

HEALTH_PATHS = {"/healthz", "/healthz/"}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in HEALTH_PATHS and request.method in {"GET", "HEAD"}:
            return health_response()
        return self.get_response(request)


def health_response() -> HttpResponse:
    states = run_checks()
    down = sorted(name for name, state in states.items() if state == "en panne")
    body = {"status": "ok" if not down else "en panne", "checks": states}
    if down:
        body["down"] = down
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=503 if down else 200,
        content_type="application/json; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response
