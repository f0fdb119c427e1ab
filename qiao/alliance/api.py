"""REST API of the alliance's member directory: thin views over the alliance selectors, with
the permissions of the web pages (a member's contact person only for member representatives
and the secretariat)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from qiao.alliance import permissions, regions, selectors
from qiao.alliance.models import Membership, Specialty
from qiao.api.serializers import DisplayName, ReadModelSerializer
from qiao.api.views import ApiMixin
from qiao.organizations.models import Country, OrganizationKind


class MemberQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices, required=False)
    country = serializers.ChoiceField(choices=Country.choices, required=False)
    region = serializers.ChoiceField(
        choices=[r.code for r in regions.ALL], required=False, help_text="ISO 3166-2 code."
    )
    specialty = serializers.SlugField(required=False, help_text="A specialty code.")


class ContactSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="contact_name")
    email = serializers.EmailField(source="contact_email")


class MemberSerializer(ReadModelSerializer[Membership]):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    name = DisplayName("organization")
    kind = serializers.CharField(source="organization.kind", read_only=True)
    category = serializers.CharField(read_only=True)
    country = serializers.CharField(source="organization.country", read_only=True)
    region_name = serializers.CharField(read_only=True)
    specialties = serializers.SlugRelatedField[Specialty](
        slug_field="code", many=True, read_only=True
    )
    contact = serializers.SerializerMethodField(
        help_text="Only for member representatives and the secretariat; otherwise null."
    )

    class Meta:
        model = Membership
        fields = [
            "organization", "name", "kind", "category", "country", "region", "region_name",
            "specialties", "joined_on", "is_sample", "contact",
        ]  # fmt: skip
        read_only_fields = fields

    def get_contact(self, membership: Membership) -> dict[str, str] | None:
        if not self.context.get("show_contacts") or not membership.contact_name:
            return None
        return dict(ContactSerializer(membership).data)


class FacetSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    name = serializers.CharField(source="label", help_text="In the response language.")
    count = serializers.IntegerField()


class CompositionSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    chinese_regions = serializers.IntegerField()
    categories = FacetSerializer(many=True)
    kinds = FacetSerializer(many=True)
    countries = FacetSerializer(many=True)
    regions = FacetSerializer(many=True)
    specialties = FacetSerializer(many=True)


class MemberListView(ApiMixin, GenericAPIView[Membership]):
    """Alliance members, filtered by type, country, province/region and specialty."""

    permission_classes = [AllowAny]
    serializer_class = MemberSerializer
    queryset = Membership.objects.none()  # for the schema; the selector is what runs

    @extend_schema(parameters=[MemberQuerySerializer], responses={200: MemberSerializer(many=True)})
    def get(self, request: Request) -> Response:
        query = MemberQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        members = selectors.member_directory(
            filters=selectors.DirectoryFilters(
                query=q.get("q", ""),
                kind=q.get("kind", ""),
                country=q.get("country", ""),
                region=q.get("region", ""),
                specialty=q.get("specialty", ""),
            )
        )
        page = self.paginate_queryset(members)
        context = {"show_contacts": permissions.can_see_member_contacts(request.user)}
        return self.get_paginated_response(MemberSerializer(page, many=True, context=context).data)


class CompositionView(ApiMixin, GenericAPIView[Membership]):
    """The membership's composition: counts by category, kind, country, region, specialty."""

    permission_classes = [AllowAny]
    serializer_class = CompositionSerializer
    queryset = Membership.objects.none()

    def get(self, request: Request) -> Response:
        return Response(CompositionSerializer(selectors.composition()).data)
