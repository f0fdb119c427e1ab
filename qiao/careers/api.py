"""REST API of the careers app, under /api/careers/: the same selectors, services and
permissions as the pages (a posting or application the user may not see answers 404)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qiao.api.views import ERRORS, VALIDATION_ERRORS, ApiMixin
from qiao.careers import permissions, selectors, services
from qiao.careers import serializers as s
from qiao.careers.models import Application, Posting

MAX_RESULTS = 50


def _posting(user: Any, pk: int) -> Posting:
    try:
        return selectors.posting_get(user=user, posting_id=pk)
    except Posting.DoesNotExist as missing:
        raise exceptions.NotFound(_("No such posting, or you may not see it.")) from missing


def _application(user: Any, pk: int) -> Application:
    try:
        return selectors.application_get(user=user, application_id=pk)
    except Application.DoesNotExist as missing:
        raise exceptions.NotFound(
            pgettext("careers", "No such application, or you may not see it.")
        ) from missing


def _filters(query: s.PostingQuerySerializer) -> selectors.PostingFilters:
    d = query.validated_data
    return selectors.PostingFilters(
        kind=d.get("kind", ""),
        country=d.get("country", ""),
        language=d.get("language", ""),
        housing=d["housing"],
        visa_support=d["visa_support"],
    )


class PostingListView(ApiMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Open internships and jobs",
        description="Published postings; with `q`, a cross-lingual search (score 0-100).",
        parameters=[s.PostingQuerySerializer],
        responses={200: s.PostingSearchResultSerializer(many=True), 400: VALIDATION_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = s.PostingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = _filters(query)
        text = query.validated_data.get("q", "").strip()
        if text:
            rows = [
                {"posting": p, "score": score}
                for p, score in selectors.postings_search(
                    user=request.user, query=text, filters=filters, k=MAX_RESULTS
                )
            ]
        else:
            listing = selectors.postings_open(user=request.user, filters=filters)[:MAX_RESULTS]
            rows = [{"posting": p, "score": None} for p in listing]
        return Response(s.PostingSearchResultSerializer(rows, many=True).data)


class PostingDetailView(ApiMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="One posting", responses={200: s.PostingSerializer, 404: ERRORS[404]})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.PostingSerializer(_posting(request.user, pk)).data)


class PostingCandidatesView(ApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Candidates ranked for a posting",
        description="The candidates you may see, those meeting the hard requirements first.",
        responses={200: s.CandidateFitSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        posting = _posting(request.user, pk)
        if not permissions.can_see_applicants(request.user, posting):
            raise exceptions.PermissionDenied(_("Only the employer sees the applicants."))
        fits = selectors.candidates_for_posting(
            user=request.user, posting=posting, filters=selectors.CandidateFilters()
        )
        return Response(s.CandidateFitSerializer(fits, many=True).data)


class RecommendedView(ApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Postings ranked for your talent profile",
        responses={200: s.PostingFitSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        if selectors.own_talent_profile(request.user) is None:
            raise exceptions.PermissionDenied(
                _("Please fill in your talent profile before applying.")
            )
        fits = selectors.postings_for_candidate(
            user=request.user, filters=selectors.PostingFilters()
        )
        return Response(s.PostingFitSerializer(fits, many=True).data)


class ApplicationListView(ApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Applications you may see",
        responses={200: s.ApplicationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        applications = selectors.applications_visible_to(request.user).order_by("-created_at")
        return Response(s.ApplicationSerializer(applications[:200], many=True).data)

    @extend_schema(
        summary="Apply to a posting",
        request=s.ApplyInputSerializer,
        responses={201: s.ApplicationSerializer, 400: VALIDATION_ERRORS, 403: ERRORS[403]},
    )
    def post(self, request: Request) -> Response:
        data = s.ApplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        posting = _posting(request.user, data.validated_data["posting"])
        application = services.application_submit(
            actor=self.acting_user(),
            posting=posting,
            cover_letter=data.validated_data.get("cover_letter", ""),
            cover_letter_language=data.validated_data.get("cover_letter_language", ""),
        )
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationStatusView(ApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Change an application's status",
        request=s.ApplicationStatusInputSerializer,
        responses={200: s.ApplicationSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = _application(request.user, pk)
        data = s.ApplicationStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_set_status(
            actor=self.acting_user(), application=application, status=data.validated_data["status"]
        )
        return Response(s.ApplicationSerializer(application).data)
