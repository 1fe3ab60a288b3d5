"""Any other address under /api/v1/: a JSON:API 404 in French, not the site's HTML page."""

from django.http import HttpRequest, JsonResponse

from api.errors import not_found


def unknown_address(request: HttpRequest, rest: str = "") -> JsonResponse:
    error = not_found()
    return JsonResponse(error.document(), status=error.status)
