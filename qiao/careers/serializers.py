"""API serializers of the careers app (read shapes, and the few inputs it accepts)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from qiao.api.ids import IdField
from qiao.api.serializers import DisplayName, ReadModelSerializer
from qiao.careers.models import (
    Application,
    ApplicationStatus,
    Posting,
    PostingKind,
    TalentProfile,
)
from qiao.core.languages import ContentLanguage
from qiao.core.names import user_name
from qiao.organizations.models import Country


class PostingSerializer(ReadModelSerializer[Posting]):
    employer_name = DisplayName("employer")

    class Meta:
        model = Posting
        fields = [
            "id",
            "kind",
            "status",
            "language",
            "title",
            "description",
            "requirements",
            "employer",
            "employer_name",
            "country",
            "city",
            "specialty",
            "skills",
            "min_chinese",
            "min_russian",
            "min_english",
            "start_date",
            "end_date",
            "duration_months",
            "pay_monthly",
            "currency",
            "housing",
            "visa_support",
            "places",
            "closes_on",
            "published_at",
            "is_sample",
        ]
        read_only_fields = fields


class TalentProfileBriefSerializer(ReadModelSerializer[TalentProfile]):
    institution_name = DisplayName("institution")

    class Meta:
        model = TalentProfile
        fields = [
            "id",
            "language",
            "headline",
            "specialty",
            "study_level",
            "skills",
            "chinese_level",
            "russian_level",
            "english_level",
            "institution",
            "institution_name",
        ]
        read_only_fields = fields


class LanguageCheckSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    required_level = serializers.IntegerField(source="required")
    actual_level = serializers.IntegerField(source="actual")
    met = serializers.BooleanField()
    required_label = serializers.CharField()
    actual_label = serializers.CharField()


class SkillPairSerializer(serializers.Serializer[Any]):
    wanted = serializers.CharField(help_text="The posting's skill.")
    offered = serializers.CharField(help_text="The candidate's closest skill.")
    similarity = serializers.FloatField()


class PassagePairSerializer(serializers.Serializer[Any]):
    posting = serializers.CharField()
    candidate = serializers.CharField()
    similarity = serializers.FloatField()


class FitSerializer(serializers.Serializer[Any]):
    """A qiao.careers.ranking.Fit."""

    score = serializers.FloatField(help_text="Match quality, 0-100.")
    meets_requirements = serializers.BooleanField(
        help_text="Minimum language levels and dates met; such fits always come first."
    )
    dates_met = serializers.BooleanField()
    languages = LanguageCheckSerializer(many=True)
    skills = SkillPairSerializer(many=True)
    missing_skills = serializers.ListField(child=serializers.CharField())
    passages = PassagePairSerializer(many=True)


class CandidateFitSerializer(FitSerializer):
    profile = TalentProfileBriefSerializer()


class PostingFitSerializer(FitSerializer):
    posting = PostingSerializer()


class PostingQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=500)
    kind = serializers.ChoiceField(choices=PostingKind.choices, required=False)
    country = serializers.ChoiceField(choices=Country.choices, required=False)
    language = serializers.ChoiceField(choices=ContentLanguage.choices, required=False)
    housing = serializers.BooleanField(required=False, default=False)
    visa_support = serializers.BooleanField(required=False, default=False)


class PostingSearchResultSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(allow_null=True)
    posting = PostingSerializer()


class ApplicationSerializer(ReadModelSerializer[Application]):
    posting = PostingSerializer(read_only=True)
    candidate_name = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "posting",
            "status",
            "candidate_name",
            "cover_letter",
            "cover_letter_language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_candidate_name(self, obj: Application) -> str | None:
        user = obj.candidate
        return user_name(user) if user else None


class ApplyInputSerializer(serializers.Serializer[Any]):
    posting = IdField()
    cover_letter = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    cover_letter_language = serializers.ChoiceField(
        choices=ContentLanguage.choices, required=False, allow_blank=True
    )


class ApplicationStatusInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
