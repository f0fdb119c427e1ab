"""Writes for assessment and certification. Each service checks permission, validates, writes
atomically and schedules its side effects (PDF rendering, e-mails) after commit."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qiao.accounts.models import User
from qiao.assessment import permissions, scoring
from qiao.assessment.models import (
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CompletionRule,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizAttemptStatus,
)
from qiao.core.errors import NotAllowed, ServiceError
from qiao.training.models import ApplicationStatus, Cohort, Enrolment, Module, TrainingProgramme

LANGUAGES = ("zh", "ru", "en")
# A submission this late after the deadline is still taken as on time (network, slow clicks);
# later than that, only what was saved before the deadline is scored.
GRACE = timedelta(seconds=30)
# Certificate numbers: QIAO-<year>-XXXX-XXXX, 8 symbols from 32 (40 bits), no 0/O/1/I.
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


# --- quizzes and their question bank -------------------------------------------------------------


def quiz_save(
    *,
    actor: User,
    module: Module,
    questions_per_attempt: int,
    time_limit_minutes: int,
    pass_mark: int,
    published: bool,
) -> Quiz:
    """Create the module's quiz or change its settings."""
    if not permissions.can_author_quizzes(actor, module.programme):
        raise NotAllowed(_("Only the programme's lecturers and the secretariat edit quizzes."))
    if questions_per_attempt < 1 or time_limit_minutes < 1:
        raise ServiceError(_("Draw at least one question and allow some time."))
    if not 0 <= pass_mark <= 100:
        raise ServiceError(_("The pass mark is a percentage (0–100)."))
    with transaction.atomic():
        quiz, _created = Quiz.objects.select_for_update().get_or_create(
            module=module,
            defaults={
                "questions_per_attempt": questions_per_attempt,
                "time_limit_minutes": time_limit_minutes,
                "pass_mark": pass_mark,
            },
        )
        bank = quiz.questions.filter(active=True).count()
        if published and bank < questions_per_attempt:
            raise ServiceError(
                ngettext(
                    "Trainees can take the quiz once its bank holds at least %(count)s "
                    "question; it has %(bank)s.",
                    "Trainees can take the quiz once its bank holds at least %(count)s "
                    "questions; it has %(bank)s.",
                    questions_per_attempt,
                )
                % {"bank": bank, "count": questions_per_attempt}
            )
        quiz.questions_per_attempt = questions_per_attempt
        quiz.time_limit_minutes = time_limit_minutes
        quiz.pass_mark = pass_mark
        quiz.published = published
        quiz.save()
    return quiz


def question_save(
    *,
    actor: User,
    quiz: Quiz,
    kind: str,
    texts: Mapping[str, str],
    options: Sequence[Mapping[str, str]],
    correct: Sequence[int],
    explanations: Mapping[str, str],
    active: bool = True,
    question: Question | None = None,
) -> Question:
    """Add a question to the bank, or change one (`question`). Attempts already drawn keep
    pointing at it, so change the wording, not the meaning, of a question in use."""
    if not permissions.can_author_quizzes(actor, quiz.module.programme):
        raise NotAllowed(_("Only the programme's lecturers and the secretariat edit quizzes."))
    if question is not None and question.quiz_id != quiz.pk:
        raise ServiceError(_("The question belongs to another quiz."))
    if kind not in QuestionKind.values:
        raise ServiceError(_("Choose the kind of question."))
    texts = {code: texts.get(code, "").strip() for code in LANGUAGES}
    if not any(texts.values()):
        raise ServiceError(_("Write the question in at least one language."))
    cleaned = [{code: option.get(code, "").strip() for code in LANGUAGES} for option in options]
    if len(cleaned) < 2 or any(not any(option.values()) for option in cleaned):
        raise ServiceError(_("Give at least two options, each in at least one language."))
    for code in LANGUAGES:
        if texts[code] and any(not option[code] for option in cleaned):
            raise ServiceError(_("Word every option in each language the question is written in."))
    right = sorted(set(correct))
    if not right or any(not 0 <= index < len(cleaned) for index in right):
        raise ServiceError(_("Mark the correct options among those given."))
    if kind == QuestionKind.SINGLE and len(right) != 1:
        raise ServiceError(_("A question with one correct answer needs exactly one."))
    values = {
        "kind": kind,
        "text_zh": texts["zh"],
        "text_ru": texts["ru"],
        "text_en": texts["en"],
        "options": cleaned,
        "correct": right,
        "explanation_zh": explanations.get("zh", "").strip(),
        "explanation_ru": explanations.get("ru", "").strip(),
        "explanation_en": explanations.get("en", "").strip(),
        "active": active,
    }
    with transaction.atomic():
        if question is None:
            return Question.objects.create(quiz=quiz, created_by=actor, **values)
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if not active and quiz.published:
            left = quiz.questions.filter(active=True).exclude(pk=locked.pk).count()
            if left < quiz.questions_per_attempt:
                raise ServiceError(
                    ngettext(
                        "The open quiz needs %(count)s question in its bank.",
                        "The open quiz needs %(count)s questions in its bank.",
                        quiz.questions_per_attempt,
                    )
                    % {"count": quiz.questions_per_attempt}
                )
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
    return locked


# --- attempts ----------------------------------------------------------------------------------


def _finish(attempt: QuizAttempt, *, timed_out: bool) -> None:
    correct = dict(
        Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "correct")
    )
    right, percent = scoring.score(attempt.question_ids, attempt.answers, correct)
    attempt.status = QuizAttemptStatus.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.timed_out = timed_out
    attempt.correct_count = right
    attempt.score = percent
    attempt.passed = percent >= attempt.quiz.pass_mark
    attempt.save()


def quiz_attempt_start(*, actor: User, quiz: Quiz, cohort: Cohort) -> QuizAttempt:
    """Draw the questions and start the clock; returns the attempt under way if there is one."""
    if not permissions.can_take_quiz(actor, quiz, cohort):
        raise NotAllowed(_("Only the cohort's trainees take its quizzes."))
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(
            cohort=cohort, user=actor, status=ApplicationStatus.ACCEPTED
        )
        latest = (
            QuizAttempt.objects.filter(quiz=quiz, enrolment=enrolment).order_by("-number").first()
        )
        if latest is not None:
            if latest.status == QuizAttemptStatus.IN_PROGRESS:
                return latest
            if latest.reopened_at is None:
                raise ServiceError(_("You have already taken this quiz."))
        pool = list(quiz.questions.filter(active=True).values_list("pk", flat=True))
        if len(pool) < quiz.questions_per_attempt:
            raise ServiceError(_("This quiz is not ready yet."))
        seed = secrets.randbits(62)
        now = timezone.now()
        return QuizAttempt.objects.create(
            quiz=quiz,
            enrolment=enrolment,
            number=latest.number + 1 if latest else 1,
            seed=seed,
            question_ids=scoring.draw(pool, quiz.questions_per_attempt, seed),
            started_at=now,
            deadline=now + timedelta(minutes=quiz.time_limit_minutes),
        )


def _clean_answers(
    attempt: QuizAttempt, answers: Mapping[int, Sequence[int]]
) -> dict[str, list[int]]:
    questions = Question.objects.in_bulk(attempt.question_ids)
    cleaned: dict[str, list[int]] = {}
    for qid, selected in answers.items():
        question = questions.get(qid)
        if question is None:
            raise ServiceError(_("Answer only the questions you were given."))
        picked = sorted({int(i) for i in selected})
        if any(not 0 <= i < len(question.options) for i in picked):
            raise ServiceError(_("Choose among the options given."))
        if question.kind == QuestionKind.SINGLE and len(picked) > 1:
            raise ServiceError(_("Choose one answer for each single-choice question."))
        if picked:
            cleaned[str(qid)] = picked
    return cleaned


def quiz_attempt_answer(
    *, actor: User, attempt: QuizAttempt, answers: Mapping[int, Sequence[int]], submit: bool
) -> QuizAttempt:
    """Save the answers (and submit them when `submit`). After the deadline (plus a short
    grace) nothing new is taken: the attempt is closed and what was saved in time is scored;
    the caller sees `timed_out`."""
    if attempt.enrolment.user_id != actor.pk:
        raise NotAllowed(_("Only the trainee answers their quiz."))
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if locked.status != QuizAttemptStatus.IN_PROGRESS:
            raise ServiceError(_("This quiz is already submitted."))
        now = timezone.now()
        if now > locked.deadline + GRACE:
            _finish(locked, timed_out=True)
            return locked
        locked.answers = _clean_answers(locked, answers)
        locked.saved_at = now
        if submit:
            _finish(locked, timed_out=False)
        else:
            locked.save(update_fields=["answers", "saved_at", "updated_at"])
    return locked


def quiz_attempt_close_if_expired(*, attempt: QuizAttempt) -> QuizAttempt:
    """Score an attempt left open past its deadline with what was saved in time."""
    if attempt.status != QuizAttemptStatus.IN_PROGRESS:
        return attempt
    if timezone.now() <= attempt.deadline + GRACE:
        return attempt
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if locked.status == QuizAttemptStatus.IN_PROGRESS:
            _finish(locked, timed_out=True)
    return locked


def quiz_attempt_reopen(*, actor: User, attempt: QuizAttempt) -> QuizAttempt:
    """Allow the trainee one more attempt (the next one draws new questions)."""
    if not permissions.can_reopen_quiz_attempt(actor, attempt):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat reopen quizzes."))
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        newer = QuizAttempt.objects.filter(
            quiz_id=locked.quiz_id, enrolment_id=locked.enrolment_id, number__gt=locked.number
        ).exists()
        if locked.status != QuizAttemptStatus.SUBMITTED or newer:
            raise ServiceError(_("Only the latest submitted attempt can be reopened."))
        if locked.reopened_at is not None:
            raise ServiceError(_("This quiz is already reopened for the trainee."))
        locked.reopened_by = actor
        locked.reopened_at = timezone.now()
        locked.save(update_fields=["reopened_by", "reopened_at", "updated_at"])
    return locked


# --- completion rules ----------------------------------------------------------------------------


def completion_rule_save(
    *,
    actor: User,
    programme: TrainingProgramme,
    min_attendance_percent: int,
    require_quizzes: bool,
    require_simulations: bool,
    min_simulation_score: int,
) -> CompletionRule:
    if not permissions.can_set_completion_rules(actor):
        raise NotAllowed(_("Only the secretariat sets the completion rules."))
    if not (0 <= min_attendance_percent <= 100 and 0 <= min_simulation_score <= 100):
        raise ServiceError(_("Percentages and scores go from 0 to 100."))
    with transaction.atomic():
        rule, _created = CompletionRule.objects.update_or_create(
            programme=programme,
            defaults={
                "min_attendance_percent": min_attendance_percent,
                "require_quizzes": require_quizzes,
                "require_simulations": require_simulations,
                "min_simulation_score": min_simulation_score,
            },
        )
    return rule


# --- certificates ------------------------------------------------------------------------------


def new_certificate_number(year: int) -> str:
    symbols = "".join(secrets.choice(NUMBER_ALPHABET) for _i in range(8))
    return f"QIAO-{year}-{symbols[:4]}-{symbols[4:]}"


def _after_issue(certificate_ids: list[int]) -> None:
    from qiao.assessment.tasks import render_and_announce_certificate

    def enqueue() -> None:
        for certificate_id in certificate_ids:
            render_and_announce_certificate.enqueue(certificate_id)

    transaction.on_commit(enqueue)


def certificate_issue(
    *, actor: User, cohort: Cohort, enrolment_ids: Sequence[int] | None = None
) -> list[Certificate]:
    """Certify the cohort's trainees who completed it: those in `enrolment_ids`, or every one
    who completed and holds no valid certificate yet. A trainee named explicitly who has not
    completed is refused with the reasons; PDFs are made by a background task."""
    from qiao.assessment.selectors import completion_statuses

    if not permissions.can_issue_certificates(actor, cohort):
        raise NotAllowed(_("Only the cohort's lecturers and the secretariat issue certificates."))
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        statuses = completion_statuses(cohort=cohort)
        if enrolment_ids is not None:
            wanted = set(enrolment_ids)
            unknown = wanted - {s.enrolment.pk for s in statuses}
            if unknown:
                raise ServiceError(_("Certificates go only to the cohort's trainees."))
            for status in statuses:
                if status.enrolment.pk in wanted and not status.complete:
                    raise ServiceError(
                        _("%(name)s has not completed the programme: %(missing)s")
                        % {"name": status.name, "missing": "; ".join(status.missing)}
                    )
            statuses = [s for s in statuses if s.enrolment.pk in wanted]
        to_issue = [s for s in statuses if s.complete and s.certificate is None]
        if not to_issue:
            raise ServiceError(_("No trainee is waiting for a certificate."))
        now = timezone.now()
        programme = cohort.programme
        issued = []
        for status in to_issue:
            for _try in range(5):
                number = new_certificate_number(now.year)
                if not Certificate.objects.filter(number=number).exists():
                    break
            try:
                with transaction.atomic():
                    certificate = Certificate.objects.create(
                        number=number,
                        enrolment=status.enrolment,
                        holder_name=status.name,
                        programme_zh=programme.title_zh,
                        programme_ru=programme.title_ru,
                        programme_en=programme.title_en,
                        cohort_starts_on=cohort.starts_on,
                        cohort_ends_on=cohort.ends_on,
                        issued_at=now,
                        issued_by=actor,
                    )
            except IntegrityError as clash:
                raise ServiceError(
                    _("Someone issued this certificate at the same time.")
                ) from clash
            CertificateEvent.objects.create(
                certificate=certificate, kind=CertificateEventKind.ISSUED, actor=actor
            )
            issued.append(certificate)
        _after_issue([c.pk for c in issued])
    return issued


def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """The verification page shows the certificate as revoked from now on, with the date only;
    the reason stays in the audit trail."""
    if not permissions.can_revoke_certificate(actor):
        raise NotAllowed(_("Only the secretariat revokes certificates."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give a reason for the revocation."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise ServiceError(_("This certificate is already revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        CertificateEvent.objects.create(
            certificate=locked, kind=CertificateEventKind.REVOKED, actor=actor, note=reason
        )
        # In the revocation's transaction: the holder's notification exists exactly when the
        # revocation does (the e-mail leaves after commit).
        from qiao.assessment.emails import send_revocation_email

        send_revocation_email(locked)
    return locked


def certificate_render(*, certificate: Certificate, actor: User | None = None) -> Certificate:
    """Make (or remake) the certificate's PDF and store it privately."""
    from django.core.files.base import ContentFile

    from qiao.assessment.pdf import certificate_pdf

    data = certificate_pdf(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf:
            locked.pdf.delete(save=False)
        locked.pdf.save(f"{locked.number}.pdf", ContentFile(data), save=False)
        locked.save(update_fields=["pdf"])
        CertificateEvent.objects.create(
            certificate=locked, kind=CertificateEventKind.RENDERED, actor=actor
        )
    return locked
