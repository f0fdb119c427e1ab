from collections.abc import Callable

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from django.views import defaults

from qiao.api.errors import api_error, api_server_error, is_api_request
from qiao.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("qiao.api.urls")),
    path("accounts/", include("qiao.accounts.urls")),
    path("organisations/", include("qiao.organizations.urls")),
    path("careers/", include("qiao.careers.urls")),
    path("alliance/", include("qiao.alliance.urls")),
    path("events/", include("qiao.events.urls")),
    path("governance/", include("qiao.governance.urls")),
    path("programmes/", include("qiao.programmes.urls")),
    path("resources/", include("qiao.resources.urls")),
    path("training/", include("qiao.training.urls")),
    path("training/", include("qiao.assessment.urls")),
    path("alliance/dashboard/", include("qiao.alliance_dashboard.urls")),
    path("", include("qiao.exchange.urls")),
    path("", include("qiao.deals.urls")),
    path("", include("qiao.alerts.urls")),
    path("", include("qiao.notifications.urls")),
    path("", include("qiao.dashboards.urls")),
    path("", include("qiao.surveys.urls")),
    path("", include("qiao.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)


# Errors Django answers itself: under /api/ in the API's JSON error shape (qiao.api.errors).
def _api_or(page: Callable[..., HttpResponse]) -> Callable[[HttpRequest, Exception], HttpResponse]:
    def handler(request: HttpRequest, exception: Exception) -> HttpResponse:
        if is_api_request(request):
            return api_error(request, exception)
        return page(request, exception)

    return handler


# A request too large to read: a translated 413 page (qiao.core.limits), JSON under /api/.
handler400 = _api_or(core_views.bad_request)
handler403 = _api_or(defaults.permission_denied)
handler404 = _api_or(defaults.page_not_found)


def handler500(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return api_server_error(request)
    return defaults.server_error(request)
