"""Context of the public index pages (called from the pages' `get_context`, through
`workshops.models.pages.PAGE_CONTEXTS`): the GET filter form, the filtered listing (a
selector) and its pagination."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from wagtail.models import Page

from workshops.filters import AtelierFilterForm, GuideFilterForm
from workshops.selectors import atelier_list, guide_list, paginate, pagination_window


def _query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, to which pagination links add `page=`."""
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _listing_context(request: HttpRequest, *, form, queryset) -> dict:
    page = paginate(queryset, page_number=request.GET.get("page"))
    return {
        "filter_form": form,
        "results": page,
        "page_links": pagination_window(page),
        "filter_query": _query_without_page(request),
    }


def guide_index_context(request: HttpRequest, *, index: Page) -> dict:
    form = GuideFilterForm(request.GET or None)
    return _listing_context(
        request, form=form, queryset=guide_list(index=index, filters=form.filters())
    )


def atelier_index_context(request: HttpRequest, *, index: Page) -> dict:
    form = AtelierFilterForm(request.GET or None)
    return _listing_context(
        request, form=form, queryset=atelier_list(index=index, filters=form.filters())
    )
