"""REST API under /api/: see qiao.api.views; schema at /api/schema/, docs at /api/docs/."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import URLPattern, URLResolver, include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from qiao.alliance import api as alliance_api
from qiao.api import deals, views
from qiao.api.ids import IdConverter

app_name = "api"

# <id:pk>: an id the database can hold; the schema says so (PATH_CONVERTER_OVERRIDES).
register_converter(IdConverter, "id")

router = SimpleRouter(use_regex_path=False)
router.register("organisations", views.OrganizationViewSet, basename="organization")
router.register("profiles", views.ProfileViewSet, basename="profile")
router.register("matches", views.MatchViewSet, basename="match")
router.register("interests", deals.InterestViewSet, basename="interest")
router.register("deals", deals.DealViewSet, basename="deal")

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("sectors/", views.SectorTreeView.as_view(), name="sectors"),
    path(
        "profiles/<id:pk>/matches/",
        views.ProfileMatchListView.as_view(),
        name="profile-matches",
    ),
    path("careers/", include("qiao.careers.api_urls")),
    path("alliance/members/", alliance_api.MemberListView.as_view(), name="alliance-members"),
    path(
        "alliance/composition/",
        alliance_api.CompositionView.as_view(),
        name="alliance-composition",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Redoc injects its styles at run time without a nonce and searches in a blob: worker: its
    # page alone allows inline styles and blob: workers (never inline script). Swagger UI
    # works under the site-wide policy.
    path(
        "redoc/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    *router.urls,
]
