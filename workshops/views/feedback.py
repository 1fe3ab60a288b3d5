"""The public endpoint receiving reader feedback on a guide.

Thin: parsing in `workshops.forms`, rules and rate limits in `workshops.services.feedback`.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from common.clients import client_ip
from workshops.forms import GuideFeedbackForm
from workshops.models import GuidePage
from workshops.services.feedback import FeedbackRateLimited, guide_feedback_record

THANKS_FRAGMENT = "#avis-merci"


# CSRF exemption, on purpose: guide pages are cached and served identically to every
# anonymous reader, so they cannot carry a per-visitor CSRF token (and we set no cookie).
# The risk CSRF protects against does not exist here: there is no session and no
# authentication behind this endpoint, it changes nobody's data, stores no personal data,
# and is rate-limited per client and per guide. A forged post is at worst one more
# anonymous "this helped", exactly what anyone can send directly.
@csrf_exempt
@never_cache
def guide_feedback(request: HttpRequest, page_id: int) -> HttpResponse:
    page = GuidePage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseRedirect(page.get_url(request) + "#avis")

    form = GuideFeedbackForm(request.POST)
    if form.is_valid():
        try:
            guide_feedback_record(
                page=page,
                kind=form.cleaned_data["kind"],
                step=form.cleaned_data["step"],
                comment=form.cleaned_data["comment"],
                ip_address=client_ip(request),
            )
        except FeedbackRateLimited as exc:
            return render(
                request,
                "workshops/feedback_rate_limited.html",
                {"guide": page, "message": exc.message},
                status=429,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return HttpResponseRedirect(page.get_url(request) + THANKS_FRAGMENT)
    return render(
        request,
        "workshops/feedback_form.html",
        {"guide": page, "feedback_form": form},
        status=400,
    )
