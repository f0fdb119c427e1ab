"""REST API: thin views over the exchange services and selectors.

Every endpoint authenticates, parses (a serializer), calls one selector or service and renders.
Who may see what is decided by qiao.exchange.selectors / permissions, never here:

- a profile or match the user may not see answers 404, as if it did not exist;
- a service refusing the user (NotAllowed) answers 403 with its translated message;
- a business rule refusing the action (ServiceError) answers 400 (code ``not_possible``);
- a validation error (serializer or service) answers 400 with one error per problem.

Every error has the one shape of qiao.api.errors.

Response language: a supported language in the Accept-Language header; otherwise the site's
language cookie; otherwise the signed-in user's preferred language; otherwise English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import (
    AllowAny,
    BasePermission,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from qiao.accounts import services as accounts_services
from qiao.accounts.lockout import LOCKOUT_STATUS, lockout_message
from qiao.api import serializers as s
from qiao.api.errors import error_response
from qiao.api.language import activate_response_language
from qiao.exchange import permissions, selectors, services
from qiao.exchange.models import Match, Profile, ProfileStatus
from qiao.organizations.models import Organization
from qiao.organizations.selectors import organization_directory

if TYPE_CHECKING:
    from collections.abc import Callable

    from qiao.accounts.models import User


# --- behaviour shared by every endpoint ------------------------------------------------------


class ApiMixin(APIView):
    """Language selection after authentication (errors: qiao.api.errors)."""

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        activate_response_language(request)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            response.add_post_render_callback(lambda done: s.release_rendered(done.data))
        return response

    def acting_user(self) -> User:
        user = self.request.user
        if not user.is_authenticated:
            raise exceptions.NotAuthenticated()
        return user


ERRORS = {
    400: error_response("Invalid input, or not possible in the current state."),
    403: error_response("You may not do this."),
    404: error_response("No such object, or you may not see it."),
}
VALIDATION_ERRORS = error_response("Invalid input: one error per problem, `attr` names the field.")


def _parse(serializer_class: type[Serializer[Any]], data: Any) -> Any:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer


def _profile_or_404(user: Any, profile_id: int) -> Profile:
    try:
        return selectors.profile_get(user=user, profile_id=profile_id)
    except Profile.DoesNotExist as missing:
        raise exceptions.NotFound(_("No such profile, or you may not see it.")) from missing


# --- organisations ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Directory of organisations",
        parameters=[s.OrganizationQuerySerializer],
    ),
    retrieve=extend_schema(summary="One organisation", responses={200: s.OrganizationSerializer}),
)
class OrganizationViewSet(ApiMixin, GenericViewSet[Organization]):
    """The public directory: everyone, signed in or not, sees every organisation."""

    serializer_class = s.OrganizationSerializer
    permission_classes = [AllowAny]
    lookup_value_converter = "id"
    queryset = Organization.objects.none()  # for the schema; get_queryset is what runs

    def get_queryset(self) -> QuerySet[Organization]:
        return organization_directory()

    def list(self, request: Request) -> Response:
        q = _parse(s.OrganizationQuerySerializer, request.query_params).validated_data
        organizations = organization_directory(
            query=q.get("q", ""), kind=q.get("kind", ""), country=q.get("country", "")
        )
        page = self.paginate_queryset(organizations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


# --- sectors ---------------------------------------------------------------------------------


class SectorTreeView(ApiMixin, APIView):
    """The two-level sector taxonomy, with names in the three content languages."""

    permission_classes = [AllowAny]

    @extend_schema(summary="Sector tree", responses={200: s.SectorTreeSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(s.SectorTreeSerializer(selectors.sectors_tree(), many=True).data)


# --- technology profiles ---------------------------------------------------------------------


class CanEditProfile(BasePermission):
    """Edits are checked before the body is validated, so a stranger gets 403, not 400."""

    message = gettext_lazy("You may not edit this profile.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in ("PUT", "PATCH"):
            return permissions.can_edit_profile(request.user, obj)
        return True


_ACTION_SCHEMA: dict[str, Any] = {
    "request": None,
    "responses": {200: s.ProfileSerializer, **ERRORS},
}


@extend_schema_view(
    list=extend_schema(
        summary="Profiles you may see",
        description="Published profiles for everyone; also your organisations' unpublished "
        "ones, the review queue for technology managers, everything for the secretariat.",
        parameters=[s.ProfileListQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="One profile", responses={200: s.ProfileSerializer, 404: ERRORS[404]}
    ),
    create=extend_schema(
        summary="Create a draft profile",
        request=s.ProfileCreateSerializer,
        responses={201: s.ProfileSerializer, 400: VALIDATION_ERRORS, 403: ERRORS[403]},
    ),
    update=extend_schema(
        summary="Replace a profile's fields",
        request=s.ProfileWriteSerializer,
        responses={200: s.ProfileSerializer, 400: VALIDATION_ERRORS, 403: ERRORS[403]},
    ),
    partial_update=extend_schema(
        summary="Change some of a profile's fields",
        request=s.ProfileWriteSerializer(partial=True),
        responses={200: s.ProfileSerializer, 400: VALIDATION_ERRORS, 403: ERRORS[403]},
    ),
)
class ProfileViewSet(ApiMixin, GenericViewSet[Profile]):
    """Technology offers and requests: read them, write them through the lifecycle services."""

    serializer_class = s.ProfileSerializer
    queryset = Profile.objects.none()  # for the schema; get_queryset is what runs
    permission_classes = [IsAuthenticatedOrReadOnly, CanEditProfile]
    lookup_value_converter = "id"

    def get_queryset(self) -> QuerySet[Profile]:
        return selectors.profiles_visible_to(self.request.user)

    def get_object(self) -> Profile:
        profile = _profile_or_404(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, profile)
        return profile

    def _render(self, profile: Profile, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(profile).data, status=code)

    def list(self, request: Request) -> Response:
        query = _parse(s.ProfileListQuerySerializer, request.query_params)
        # The same filters as the published listing and search (selectors.ProfileFilters).
        profiles = selectors.profile_list(
            user=request.user,
            filters=query.filters(),
            status=query.validated_data.get("status") or None,
        )
        page = self.paginate_queryset(profiles)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return self._render(self.get_object())

    def create(self, request: Request) -> Response:
        data = _parse(s.ProfileCreateSerializer, request.data).validated_data
        profile = services.profile_create(
            actor=self.acting_user(),
            organization=data["organization"],
            data=s.profile_data(data),
        )
        return self._render(profile, status.HTTP_201_CREATED)

    def _update(self, request: Request, *, partial: bool) -> Response:
        profile = self.get_object()
        serializer = s.ProfileWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = {**s.current_values(profile), **serializer.validated_data}
        profile = services.profile_update(
            actor=self.acting_user(), profile=profile, data=s.profile_data(values)
        )
        return self._render(profile)

    def update(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=False)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=True)

    def _transition(
        self, service: Callable[..., Profile], body: type[Serializer[Any]] | None = None
    ) -> Response:
        """Find the profile (404 first), parse the body if any, then call the service."""
        profile = self.get_object()
        kwargs = _parse(body, self.request.data).validated_data if body else {}
        return self._render(service(actor=self.acting_user(), profile=profile, **kwargs))

    @extend_schema(summary="Submit a draft or rejected profile for review", **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        return self._transition(services.profile_submit)

    @extend_schema(summary="Publish a submitted profile (technology managers)", **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: int) -> Response:
        return self._transition(services.profile_publish)

    @extend_schema(
        summary="Reject a submitted profile, with the reason (technology managers)",
        request=s.RejectSerializer,
        responses={200: s.ProfileSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: int) -> Response:
        return self._transition(services.profile_reject, s.RejectSerializer)

    @extend_schema(summary="Renew a published or expired profile", **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: int) -> Response:
        return self._transition(services.profile_renew)

    @extend_schema(summary="Archive a profile", **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: int) -> Response:
        return self._transition(services.profile_archive)


class ProfileMatchListView(ApiMixin, GenericAPIView[Match]):
    """Matches of one profile with published profiles of the other kind, best first."""

    serializer_class = s.MatchSerializer
    permission_classes = [IsAuthenticated]
    queryset = Match.objects.none()  # for the schema; the selectors are what runs

    @extend_schema(summary="A profile's matches", responses={200: s.MatchSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        profile = _profile_or_404(request.user, pk)
        matches = selectors.matches_for_profile(user=request.user, profile=profile)
        page = self.paginate_queryset(matches)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- search ----------------------------------------------------------------------------------


class SearchView(ApiMixin, APIView):
    """Cross-lingual search of published profiles: the query in any of zh, ru and en."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Search published profiles",
        description="Semantic and keyword search across Chinese, Russian and English; each "
        "result has its score and an explanation. Without `q`, the newest published profiles.",
        parameters=[s.SearchQuerySerializer],
        responses={200: s.SearchResponseSerializer, 400: VALIDATION_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = _parse(s.SearchQuerySerializer, request.query_params)
        results = selectors.profile_search(
            user=request.user,
            query=query.validated_data.get("q", ""),
            filters=query.filters(),
            k=query.validated_data["k"],
        )
        payload = {"query": results.query, "count": len(results.items), "results": results.items}
        return Response(s.SearchResponseSerializer(payload, context={"request": request}).data)


# --- matches ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Matches you may see",
        description="Matches between published profiles: those of the organisations you "
        "represent; all of them for technology managers and the secretariat. Best first.",
        parameters=[s.MatchQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="One match", responses={200: s.MatchSerializer, 404: ERRORS[404]}
    ),
)
class MatchViewSet(ApiMixin, GenericViewSet[Match]):
    """Scored pairings of a published offer and a published request."""

    serializer_class = s.MatchSerializer
    permission_classes = [IsAuthenticated]
    queryset = Match.objects.none()  # for the schema; get_queryset is what runs
    lookup_value_converter = "id"

    def get_queryset(self) -> QuerySet[Match]:
        return selectors.matches_visible_to(self.request.user)

    def get_object(self) -> Match:
        try:
            return selectors.match_get(user=self.request.user, match_id=int(self.kwargs["pk"]))
        except Match.DoesNotExist as missing:
            raise exceptions.NotFound(_("No such match, or you may not see it.")) from missing

    def list(self, request: Request) -> Response:
        q = _parse(s.MatchQuerySerializer, request.query_params).validated_data
        statuses = [q["status"]] if q.get("status") else []
        if q.get("organization"):
            matches = selectors.matches_for_organization(
                user=request.user, organization_id=q["organization"], statuses=statuses
            )
        else:
            matches = self.get_queryset().filter(
                offer__status=ProfileStatus.PUBLISHED, request__status=ProfileStatus.PUBLISHED
            )
            if statuses:
                matches = matches.filter(
                    Q(offer_status__in=statuses) | Q(request_status__in=statuses)
                )
            matches = matches.order_by("-score", "id")
        page = self.paginate_queryset(matches)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Set your side's status of a match",
        request=s.MatchStatusSerializer,
        responses={200: s.MatchSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: int) -> Response:
        match = self.get_object()
        data = _parse(s.MatchStatusSerializer, request.data).validated_data
        match = services.match_set_status(
            actor=self.acting_user(), match=match, side=data["side"], status=data["status"]
        )
        return Response(self.get_serializer(match).data)


# --- authentication --------------------------------------------------------------------------


class LockedOut(exceptions.APIException):
    status_code = LOCKOUT_STATUS
    default_code = "locked_out"


class TokenView(ApiMixin, GenericAPIView):  # type: ignore[type-arg]
    """Exchange a username and password for a new API token.

    Each call issues a new token, valid for QIAO_API_TOKEN_DAYS; the user lists and revokes
    theirs at /accounts/tokens/. Wrong passwords count towards the login lockout (django-axes)
    like those typed into the web login.
    """

    permission_classes = [AllowAny]
    serializer_class = AuthTokenSerializer

    @extend_schema(
        summary="Obtain an API token",
        request=AuthTokenSerializer,
        responses={
            200: s.TokenSerializer,
            400: VALIDATION_ERRORS,
            429: error_response("Too many failed logins or requests."),
        },
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        credentials = self.get_serializer(data=request.data)
        try:
            credentials.is_valid(raise_exception=True)
        except exceptions.ValidationError:
            # django-axes flags the request when this user name is locked out from here.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(lockout_message()) from None
            raise
        token, expiry = accounts_services.api_token_issue(user=credentials.validated_data["user"])
        return Response(s.TokenSerializer({"token": token, "expiry": expiry}).data)
