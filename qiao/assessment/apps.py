from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "qiao.assessment"
    label = "assessment"
    verbose_name = _("Assessment and certificates")

    def ready(self) -> None:
        from qiao.assessment import signals  # noqa: F401 - connects the receivers
        from qiao.assessment.selectors import cohort_outcome_steps
        from qiao.training.selectors import OUTCOME_PROVIDERS

        if cohort_outcome_steps not in OUTCOME_PROVIDERS:
            OUTCOME_PROVIDERS.append(cohort_outcome_steps)
