from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

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
    path("", include("qiao.dashboards.urls")),
    path("", include("qiao.surveys.urls")),
    path("", include("qiao.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A request too large to read gets a translated 413 page (qiao.core.limits).
handler400 = "qiao.core.views.bad_request"
