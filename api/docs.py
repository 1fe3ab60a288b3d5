"""/api/v1/docs: Swagger UI from django-ninja's own static files (no CDN), in a page of
ours (French, with the essentials readable without JavaScript). Its scripts are files and
its settings a JSON data block, so the site's Content-Security-Policy applies unchanged."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger


class Documentation(Swagger):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        return render(request, self.template, context)
