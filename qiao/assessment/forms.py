from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.assessment.models import Question, QuestionKind

LANGUAGES = ("zh", "ru", "en")


class QuizForm(forms.Form):
    questions_per_attempt = forms.IntegerField(
        label=_("Questions drawn per attempt"), min_value=1, max_value=100, initial=5
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"), min_value=1, max_value=600, initial=20
    )
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=0, max_value=100, initial=60)
    published = forms.BooleanField(label=_("Open to trainees"), required=False)


class QuestionForm(forms.Form):
    """Options are written one per line, in the same order in every language."""

    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_zh = forms.CharField(
        label=_("Question (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_ru = forms.CharField(
        label=_("Question (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    options_zh = forms.CharField(
        label=_("Options in Chinese, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    options_ru = forms.CharField(
        label=_("Options in Russian, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    options_en = forms.CharField(
        label=_("Options in English, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    correct = forms.CharField(
        label=_("Correct options (their numbers, e.g. 2 or 1,3)"), max_length=100
    )
    explanation_zh = forms.CharField(
        label=_("Explanation shown after submission (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation_ru = forms.CharField(
        label=_("Explanation shown after submission (Russian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation_en = forms.CharField(
        label=_("Explanation shown after submission (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    active = forms.BooleanField(label=_("In the bank (drawn for new attempts)"), required=False)

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": question.kind,
            "correct": ",".join(str(i + 1) for i in question.correct),
            "active": question.active,
        }
        for code in LANGUAGES:
            initial[f"text_{code}"] = getattr(question, f"text_{code}")
            initial[f"explanation_{code}"] = getattr(question, f"explanation_{code}")
            initial[f"options_{code}"] = "\n".join(o.get(code, "") for o in question.options)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        columns = {
            code: [line.strip() for line in data.get(f"options_{code}", "").splitlines()]
            for code in LANGUAGES
        }
        columns = {code: [x for x in lines if x] for code, lines in columns.items()}
        counts = {len(lines) for lines in columns.values() if lines}
        if len(counts) > 1:
            raise forms.ValidationError(_("Give the same number of options in every language."))
        count = counts.pop() if counts else 0
        data["options"] = [
            {code: (columns[code][i] if columns[code] else "") for code in LANGUAGES}
            for i in range(count)
        ]
        try:
            data["correct_indexes"] = [
                int(part) - 1 for part in str(data.get("correct", "")).split(",") if part.strip()
            ]
        except ValueError as bad:
            raise forms.ValidationError(
                _("Write the numbers of the correct options, separated by commas.")
            ) from bad
        return data


class CompletionRuleForm(forms.Form):
    min_attendance_percent = forms.IntegerField(
        label=_("Minimum attendance (%)"), min_value=0, max_value=100
    )
    require_quizzes = forms.BooleanField(label=_("Every open module quiz passed"), required=False)
    require_simulations = forms.BooleanField(
        label=_("Every published simulation submitted"), required=False
    )
    min_simulation_score = forms.IntegerField(
        label=_("Minimum simulation score (0–100)"), min_value=0, max_value=100
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit trail, not shown publicly)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40)
