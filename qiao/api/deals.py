"""API for introductions and deals: the same services, selectors and permissions as the pages
(qiao.deals)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from qiao.api.ids import IdField
from qiao.api.serializers import (
    ChoiceLabel,
    OrganizationBriefSerializer,
    ProfileBriefSerializer,
    ReadModelSerializer,
)
from qiao.api.views import ERRORS, VALIDATION_ERRORS, ApiMixin, _parse, _profile_or_404
from qiao.deals import selectors, services
from qiao.deals.models import STAGE_ORDER, Deal, Interest

# --- serializers -----------------------------------------------------------------------------


class InterestSerializer(ReadModelSerializer[Interest]):
    profile = ProfileBriefSerializer(read_only=True)
    organization = OrganizationBriefSerializer(read_only=True)
    status_display = ChoiceLabel("status")
    deal = serializers.SerializerMethodField(help_text="The deal's id once introduced.")

    class Meta:
        model = Interest
        fields = [
            "id",
            "profile",
            "organization",
            "message",
            "language",
            "status",
            "status_display",
            "decision_reason",
            "created_at",
            "decided_at",
            "deal",
        ]
        read_only_fields = fields

    def get_deal(self, interest: Interest) -> int | None:
        try:
            return interest.deal.pk
        except Deal.DoesNotExist:
            return None


class InterestCreateSerializer(serializers.Serializer[Any]):
    profile = IdField(help_text="A published profile of another organisation.")
    message = serializers.CharField(max_length=services.MAX_MESSAGE_CHARS)


class DecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when declining; the sender sees it.",
    )


class DealSerializer(ReadModelSerializer[Deal]):
    profile = ProfileBriefSerializer(read_only=True)
    owner = OrganizationBriefSerializer(read_only=True)
    partner = OrganizationBriefSerializer(read_only=True)
    broker = serializers.CharField(source="broker.username", read_only=True, allow_null=True)
    stage_display = ChoiceLabel("stage")
    next_stages = serializers.SerializerMethodField()

    class Meta:
        model = Deal
        fields = [
            "id",
            "profile",
            "owner",
            "partner",
            "broker",
            "stage",
            "stage_display",
            "stage_entered_at",
            "next_stages",
            "deadline",
            "agreement_type",
            "agreement_value",
            "currency",
            "agreement_signed_on",
            "closed_at",
            "is_sample",
        ]
        read_only_fields = fields

    def get_next_stages(self, deal: Deal) -> list[str]:
        return services.next_stages(deal)


class MoveSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=[(s, s) for s in STAGE_ORDER])


# --- views -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Expressions of interest you may see"),
    retrieve=extend_schema(
        summary="One expression of interest", responses={200: InterestSerializer, 404: ERRORS[404]}
    ),
)
class InterestViewSet(ApiMixin, GenericViewSet[Interest]):
    """Expressions of interest: those your organisation sent or received, and those you
    decide as a technology manager; all of them for the secretariat."""

    serializer_class = InterestSerializer
    permission_classes = [IsAuthenticated]
    queryset = Interest.objects.none()
    lookup_value_converter = "id"

    def get_queryset(self) -> QuerySet[Interest]:
        return selectors.interests_visible_to(self.request.user).select_related("deal")

    def get_object(self) -> Interest:
        try:
            return selectors.interest_get(
                user=self.request.user, interest_id=int(self.kwargs["pk"])
            )
        except Interest.DoesNotExist as missing:
            raise exceptions.NotFound(
                _("No such expression of interest, or you may not see it.")
            ) from missing

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-created_at", "-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Express interest in a published profile",
        request=InterestCreateSerializer,
        responses={
            201: InterestSerializer,
            400: VALIDATION_ERRORS,
            403: ERRORS[403],
            404: ERRORS[404],
        },
    )
    def create(self, request: Request) -> Response:
        data = _parse(InterestCreateSerializer, request.data).validated_data
        profile = _profile_or_404(request.user, data["profile"])
        interest = services.interest_express(
            actor=self.acting_user(), profile=profile, message=data["message"]
        )
        return Response(self.get_serializer(interest).data, status=201)

    @extend_schema(
        summary="Approve (introduce, open a deal) or decline with a reason",
        request=DecisionSerializer,
        responses={200: InterestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: int) -> Response:
        interest = self.get_object()
        data = _parse(DecisionSerializer, request.data).validated_data
        interest = services.interest_decide(
            actor=self.acting_user(),
            interest=interest,
            approve=data["decision"] == "approve",
            reason=data["reason"],
        )
        return Response(self.get_serializer(interest).data)


@extend_schema_view(
    list=extend_schema(summary="Deals you are a party to (all for the secretariat)"),
    retrieve=extend_schema(summary="One deal", responses={200: DealSerializer, 404: ERRORS[404]}),
)
class DealViewSet(ApiMixin, GenericViewSet[Deal]):
    serializer_class = DealSerializer
    permission_classes = [IsAuthenticated]
    queryset = Deal.objects.none()
    lookup_value_converter = "id"

    def get_queryset(self) -> QuerySet[Deal]:
        return selectors.deals_visible_to(self.request.user)

    def get_object(self) -> Deal:
        try:
            return selectors.deal_get(user=self.request.user, deal_id=int(self.kwargs["pk"]))
        except Deal.DoesNotExist as missing:
            raise exceptions.NotFound(_("No such deal, or you may not see it.")) from missing

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-updated_at", "-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Move the deal to its next stage (its required checklist steps done)",
        request=MoveSerializer,
        responses={200: DealSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: int) -> Response:
        deal = self.get_object()
        data = _parse(MoveSerializer, request.data).validated_data
        deal = services.deal_move(actor=self.acting_user(), deal=deal, to_stage=data["stage"])
        return Response(self.get_serializer(deal).data)
