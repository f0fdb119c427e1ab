"""Serializers of the REST API: parse requests into service inputs, render models as JSON.

No business rules here: permissions live in qiao.exchange.permissions, writes in
qiao.exchange.services. Labels (``*_display``, localised ``name``) and error messages follow
the response language; help texts are API documentation and stay in English.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping
from typing import Any, TypeVar

from django.db import models
from rest_framework import serializers

from qiao.api.ids import IdField, IdRelatedField
from qiao.core.languages import ContentLanguage
from qiao.exchange import permissions
from qiao.exchange.models import (
    DevelopmentStage,
    IPRStatus,
    Match,
    MatchStatus,
    PartnershipType,
    Profile,
    ProfileKind,
    ProfileStatus,
    Sector,
)
from qiao.exchange.selectors import ProfileFilters
from qiao.exchange.services import MAX_KEYWORD_CHARS, MAX_KEYWORDS, ProfileData
from qiao.organizations.models import Country, Organization, OrganizationKind

MAX_SEARCH_RESULTS = 100
_M = TypeVar("_M", bound=models.Model)
SIDES = (("offer", "offer"), ("request", "request"))
# ReadModelSerializer.get_fields: each class's fields as built from its model, never bound.
_MODEL_FIELDS: dict[
    type[serializers.BaseSerializer[Any]], dict[str, serializers.Field[Any, Any, Any, Any]]
] = {}


# --- shared pieces ---------------------------------------------------------------------------


class NamesSerializer(serializers.Serializer[dict[str, str]]):
    """A name in each content language; empty when not given in that language."""

    zh = serializers.CharField(read_only=True)
    ru = serializers.CharField(read_only=True)
    en = serializers.CharField(read_only=True)


class ChoiceLabel(serializers.CharField):
    """A model field's choice label, in the response language, next to its value.

    Looked up in the field's choices read once per serializer, not through the model's
    ``get_FOO_display``: DRF inspects that bound method's signature on every call, and Django
    hashes every lazily translated label; together half the time of serialising a page of
    search results.
    """

    def __init__(self, field: str, **kwargs: Any) -> None:
        super().__init__(source=field, read_only=True, **kwargs)
        self._labels: dict[Any, Any] = {}

    def bind(self, field_name: str, parent: serializers.BaseSerializer[Any]) -> None:
        super().bind(field_name, parent)
        model = parent.Meta.model  # type: ignore[attr-defined]
        self._labels = dict(model._meta.get_field(self.source).flatchoices)

    def to_representation(self, value: Any) -> str:
        return str(self._labels.get(value, value))


class DisplayName(serializers.CharField):
    """An object's name in the response language: its ``display_name()``, called here, not
    by DRF, which inspects a method's signature on every call to see if it takes arguments.
    ``source``: the object's path ("*" for the object itself, "organization" for a related one)."""

    def __init__(self, source: str = "*", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "The name in the response language.")
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value.display_name())


class ReadModelSerializer(serializers.ModelSerializer[_M]):
    """A model rendered read-only, with the schema saying what the model allows.

    DRF drops ``allow_blank`` from read-only fields, so a choice or URL left blank (a deal's
    currency before the agreement, an organisation without a website) would break the
    documented enum or URL format.

    DRF builds a model serializer's fields from the model for every instance, a third of the
    time of rendering a page of search results; they depend only on the class, so they are
    built once per class and copied for each instance, as DRF copies declared fields.
    """

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        built = _MODEL_FIELDS.get(type(self))
        if built is None:  # two threads may both build it: the same fields, one kept
            built = _MODEL_FIELDS.setdefault(type(self), super().get_fields())
        return copy.deepcopy(built)

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


# --- organisations ---------------------------------------------------------------------------


class OrganizationBriefSerializer(ReadModelSerializer[Organization]):
    name = DisplayName()

    class Meta:
        model = Organization
        fields = ["id", "name", "country"]
        read_only_fields = fields


class OrganizationSerializer(ReadModelSerializer[Organization]):
    name = DisplayName()
    names = NamesSerializer(read_only=True)
    kind_display = ChoiceLabel("kind")
    country_display = ChoiceLabel("country")
    published_profiles = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "names",
            "kind",
            "kind_display",
            "country",
            "country_display",
            "region",
            "city",
            "website",
            "description",
            "description_language",
            "published_profiles",
        ]
        read_only_fields = fields


class OrganizationQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Part of a name, city or region.",
    )
    kind = serializers.ChoiceField(
        choices=OrganizationKind.choices, required=False, allow_blank=True
    )
    country = serializers.ChoiceField(choices=Country.choices, required=False, allow_blank=True)


# --- sectors ---------------------------------------------------------------------------------


class SectorNamesSerializer(serializers.Serializer[Sector]):
    zh = serializers.CharField(source="name_zh", read_only=True)
    ru = serializers.CharField(source="name_ru", read_only=True)
    en = serializers.CharField(source="name_en", read_only=True)


class SectorSerializer(ReadModelSerializer[Sector]):
    name = DisplayName()
    names = SectorNamesSerializer(source="*", read_only=True)

    class Meta:
        model = Sector
        fields = ["code", "name", "names"]
        read_only_fields = fields


class SectorTreeSerializer(serializers.Serializer[Any]):
    """A top-level sector with its sub-sectors, from selectors.sectors_tree()."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="The name in the response language.")
    names = SectorNamesSerializer(read_only=True)
    children = SectorSerializer(many=True, read_only=True)

    def to_representation(self, instance: tuple[Sector, list[Sector]]) -> dict[str, Any]:
        sector, children = instance
        return {
            **SectorSerializer(sector).data,
            "children": SectorSerializer(children, many=True).data,
        }


# --- technology profiles ---------------------------------------------------------------------


def _hide_anonymous_owner(
    serializer: serializers.BaseSerializer[Profile], profile: Profile, data: dict[str, Any]
) -> dict[str, Any]:
    """An anonymous profile's organisation is null until the reader was introduced."""
    from django.contrib.auth.models import AnonymousUser

    from qiao.deals.permissions import can_see_profile_owner

    request = serializer.context.get("request")
    user = request.user if request is not None else AnonymousUser()
    if not can_see_profile_owner(user, profile):
        data["organization"] = None
    return data


class ProfileBriefSerializer(ReadModelSerializer[Profile]):
    """The side of a match: enough to show it and to fetch the full profile."""

    organization = OrganizationBriefSerializer(
        read_only=True, allow_null=True, help_text="Null while an anonymous profile hides it."
    )

    class Meta:
        model = Profile
        fields = ["id", "kind", "status", "language", "title", "organization"]
        read_only_fields = fields

    def to_representation(self, instance: Profile) -> dict[str, Any]:
        return _hide_anonymous_owner(self, instance, dict(super().to_representation(instance)))


class ProfileSerializer(ReadModelSerializer[Profile]):
    kind_display = ChoiceLabel("kind")
    status_display = ChoiceLabel("status")
    development_stage_display = ChoiceLabel("development_stage")
    ipr_status_display = ChoiceLabel("ipr_status")
    sectors = SectorSerializer(many=True, read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    partnership_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnershipType.choices), read_only=True
    )
    target_countries = serializers.ListField(
        child=serializers.ChoiceField(choices=Country.choices), read_only=True
    )
    organization = OrganizationBriefSerializer(
        read_only=True, allow_null=True, help_text="Null while an anonymous profile hides it."
    )
    can_edit = serializers.SerializerMethodField(
        help_text="Whether the requesting user may edit, submit, renew or archive it."
    )

    class Meta:
        model = Profile
        fields = [
            "id",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "language",
            "title",
            "summary",
            "description",
            "advantages",
            "technical_specification",
            "development_stage",
            "development_stage_display",
            "ipr_status",
            "ipr_status_display",
            "sectors",
            "keywords",
            "partnership_types",
            "target_countries",
            "organization",
            "rejection_reason",
            "submitted_at",
            "published_at",
            "expires_at",
            "created_at",
            "updated_at",
            "is_sample",
            "interest_open",
            "anonymous",
            "can_edit",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Profile) -> dict[str, Any]:
        return _hide_anonymous_owner(self, instance, dict(super().to_representation(instance)))

    def get_can_edit(self, profile: Profile) -> bool:
        request = self.context.get("request")
        return request is not None and permissions.can_edit_profile(request.user, profile)


def _clean_keywords(words: list[str]) -> list[str]:
    unique: list[str] = []
    seen: set[str] = set()
    for word in words:
        if word.casefold() not in seen:
            seen.add(word.casefold())
            unique.append(word)
    return unique


class ProfileWriteSerializer(serializers.Serializer[Profile]):
    """The editable fields of a profile; the service checks the language and the model rules."""

    kind = serializers.ChoiceField(choices=ProfileKind.choices)
    language = serializers.ChoiceField(
        choices=ContentLanguage.choices,
        help_text="The language the text is written in: zh, ru or en.",
    )
    title = serializers.CharField(max_length=256)
    summary = serializers.CharField(max_length=500)
    description = serializers.CharField(max_length=4000)
    advantages = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    technical_specification = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    development_stage = serializers.ChoiceField(choices=DevelopmentStage.choices)
    ipr_status = serializers.ChoiceField(choices=IPRStatus.choices)
    sectors = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Sector.objects.all(),
        many=True,
        allow_empty=False,
        help_text="Sector codes, see /api/sectors/.",
    )
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=MAX_KEYWORD_CHARS),
        max_length=MAX_KEYWORDS,
        required=False,
        default=list,
    )
    partnership_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnershipType.choices),
        required=False,
        default=list,
    )
    target_countries = serializers.ListField(
        child=serializers.ChoiceField(choices=Country.choices), required=False, default=list
    )
    # Omitted or null: keep the stored value (new profiles: open, not anonymous).
    interest_open = serializers.BooleanField(
        required=False, allow_null=True, help_text="Open for expressions of interest."
    )
    anonymous = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text="Hide the owner organisation until an introduction.",
    )

    def validate_keywords(self, value: list[str]) -> list[str]:
        return _clean_keywords(value)

    def validate_partnership_types(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate_target_countries(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class ProfileCreateSerializer(ProfileWriteSerializer):
    organization = IdRelatedField(
        queryset=Organization.objects.all(),
        help_text="The owner organisation; you must manage its profiles.",
    )


def current_values(profile: Profile) -> dict[str, Any]:
    """A profile's editable fields, as validated_data of ProfileWriteSerializer would hold them."""
    return {
        "kind": profile.kind,
        "language": profile.language,
        "title": profile.title,
        "summary": profile.summary,
        "description": profile.description,
        "advantages": profile.advantages,
        "technical_specification": profile.technical_specification,
        "development_stage": profile.development_stage,
        "ipr_status": profile.ipr_status,
        "sectors": list(profile.sectors.all()),
        "keywords": list(profile.keywords),
        "partnership_types": list(profile.partnership_types),
        "target_countries": list(profile.target_countries),
        "interest_open": profile.interest_open,
        "anonymous": profile.anonymous,
    }


def profile_data(values: Mapping[str, Any]) -> ProfileData:
    return ProfileData(
        kind=values["kind"],
        language=values["language"],
        title=values["title"],
        summary=values["summary"],
        description=values["description"],
        advantages=values.get("advantages", ""),
        technical_specification=values.get("technical_specification", ""),
        development_stage=values["development_stage"],
        ipr_status=values["ipr_status"],
        sectors=tuple(values["sectors"]),
        keywords=tuple(values.get("keywords", ())),
        partnership_types=tuple(values.get("partnership_types", ())),
        target_countries=tuple(values.get("target_countries", ())),
        interest_open=values.get("interest_open"),
        anonymous=values.get("anonymous"),
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=2000, help_text="Shown to the owner, who can then correct the profile."
    )


class ProfileQuerySerializer(serializers.Serializer[Any]):
    """Filters of the profile list and of search (``status``: list only). With
    ``organization``, anonymous profiles stay hidden from everyone outside it."""

    kind = serializers.ChoiceField(choices=ProfileKind.choices, required=False, allow_blank=True)
    country = serializers.ChoiceField(choices=Country.choices, required=False, allow_blank=True)
    sector = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Sector.objects.all(),
        required=False,
        allow_null=True,
        help_text="A sector code; a top-level sector includes its sub-sectors.",
    )
    stage = serializers.ChoiceField(
        choices=DevelopmentStage.choices, required=False, allow_blank=True
    )
    language = serializers.ChoiceField(
        choices=ContentLanguage.choices,
        required=False,
        allow_blank=True,
        help_text="The language the profile is written in.",
    )
    organization = IdField(required=False, help_text="Only this organisation's profiles.")

    def filters(self) -> ProfileFilters:
        d = self.validated_data
        sector = d.get("sector")
        return ProfileFilters(
            kind=d.get("kind", ""),
            country=d.get("country", ""),
            sector=sector.code if sector else "",
            stage=d.get("stage", ""),
            language=d.get("language", ""),
            organization_id=d.get("organization"),
        )


class ProfileListQuerySerializer(ProfileQuerySerializer):
    status = serializers.ChoiceField(
        choices=ProfileStatus.choices, required=False, allow_blank=True
    )


class SearchQuerySerializer(ProfileQuerySerializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="What you look for, in Chinese, Russian or English.",
    )
    k = serializers.IntegerField(
        required=False,
        default=20,
        min_value=1,
        max_value=MAX_SEARCH_RESULTS,
        help_text="How many results at most.",
    )


# --- search and matches ----------------------------------------------------------------------


class PassageSerializer(serializers.Serializer[Any]):
    query = serializers.CharField(read_only=True)
    match = serializers.CharField(read_only=True)
    similarity = serializers.FloatField(read_only=True)


class ExplanationSerializer(serializers.Serializer[Any]):
    """Why two texts match; empty for a listing without a query."""

    semantic = serializers.FloatField(
        required=False, help_text="Cosine similarity of the whole texts."
    )
    lexical = serializers.FloatField(required=False, help_text="Keyword score, from 0 to 1.")
    passages = PassageSerializer(many=True, required=False)
    shared_terms = serializers.ListField(child=serializers.CharField(), required=False)
    shared_numbers = serializers.ListField(child=serializers.CharField(), required=False)
    shared_names = serializers.ListField(child=serializers.CharField(), required=False)
    query_side = serializers.ChoiceField(choices=SIDES, required=False)


class SearchResultSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(read_only=True, help_text="Match quality, from 0 to 100.")
    explanation = ExplanationSerializer(read_only=True)
    profile = ProfileSerializer(read_only=True)


class SearchResponseSerializer(serializers.Serializer[Any]):
    query = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    results = SearchResultSerializer(many=True, read_only=True)


class MatchSerializer(ReadModelSerializer[Match]):
    offer = ProfileBriefSerializer(read_only=True)
    request = ProfileBriefSerializer(read_only=True)
    explanation = ExplanationSerializer(read_only=True)
    offer_status_display = ChoiceLabel("offer_status")
    request_status_display = ChoiceLabel("request_status")
    editable_sides = serializers.SerializerMethodField(
        help_text="The sides whose status the requesting user may set."
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "score",
            "explanation",
            "offer",
            "request",
            "offer_status",
            "offer_status_display",
            "request_status",
            "request_status_display",
            "editable_sides",
            "model_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_editable_sides(self, match: Match) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        user = request.user
        return [s for s, _label in SIDES if permissions.can_set_match_status(user, match, s)]


class MatchStatusSerializer(serializers.Serializer[Any]):
    side = serializers.ChoiceField(choices=SIDES)
    status = serializers.ChoiceField(choices=MatchStatus.choices)


class MatchQuerySerializer(serializers.Serializer[Any]):
    organization = IdField(
        required=False, help_text="Only matches with this organisation on a side."
    )
    status = serializers.ChoiceField(
        choices=MatchStatus.choices,
        required=False,
        allow_blank=True,
        help_text="Only matches with this status on either side.",
    )


# --- authentication --------------------------------------------------------------------------


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        read_only=True, help_text="Send it as the header 'Authorization: Token <token>'."
    )
    expiry = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the token stops working; ask for a new one before then.",
    )


# --- after rendering -------------------------------------------------------------------------


def release_rendered(data: Any) -> None:
    """Take apart the serializer trees that rendered ``data`` (a response's data, rendered).

    A bound serializer tree is a web of reference cycles (every field points at its parent,
    the rendered data at its serializer) holding everything it rendered, so each response
    left it all to the cyclic collector, whose full collections stop every request thread
    (decision 0008). Cut, it is freed at once by reference counting.
    """
    for rendered in (data, *(data.values() if isinstance(data, dict) else ())):
        serializer = getattr(rendered, "serializer", None)
        if isinstance(serializer, serializers.BaseSerializer):
            rendered.serializer = None
            serializer.__dict__.pop("_data", None)
            _take_apart(serializer)


def _take_apart(field: serializers.Field[Any, Any, Any, Any]) -> None:
    # ``fields`` is a cached property, rebuilt should anything read it again.
    parts = list(field.__dict__.pop("fields", {}).values())
    parts += [getattr(field, name) for name in ("child", "child_relation") if hasattr(field, name)]
    for part in parts:
        if isinstance(part, serializers.Field):
            _take_apart(part)
            part.parent = None  # type: ignore[assignment]
