"""In a real browser: the trainee (UI zh-hans) takes a module quiz, the lecturer (UI ru) sees
the completion table, the secretariat (UI en) issues the certificate, and a visitor checks it on
the public verification page in each language. QIAO_SCREENSHOTS=<dir> keeps screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.assessment.models import Certificate, CompletionRule, Question, Quiz, QuizAttempt
from qiao.training.models import Attendance, Cohort, Enrolment, Session

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("QIAO_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_quiz_completion_certificate_and_verification(
    browser_page: Page,
    login_browser: Callable[[User], None],
    trainee: User,
    lecturer: User,
    secretariat: User,
    cohort: Cohort,
    quiz: Quiz,
    rule: CompletionRule,
    past_session: Session,
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    enrolment = Enrolment.objects.get(user=trainee)
    Attendance.objects.create(session=past_session, enrolment=enrolment, present=True)

    # The trainee starts the quiz: four questions drawn, in Chinese, with a countdown.
    login_browser(trainee)
    page.goto(f"/training/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="考核与结业证书").click()
    expect(page.get_by_test_id("missing")).to_contain_text("未参加测验")
    _shot(page, "assessment-zh-trainee")
    page.get_by_test_id("quiz").get_by_role("button", name="开始测验").click()
    expect(page.get_by_test_id("quiz-form").locator("li.card")).to_have_count(4)
    expect(page.locator("#countdown")).to_contain_text("1")
    expect(page.get_by_test_id("deadline")).to_contain_text("哈尔滨")
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    first = Question.objects.get(pk=attempt.question_ids[0])
    assert first.text_zh in page.get_by_test_id("quiz-form").inner_text()
    # Answer everything right, save, reload: the same draw and the answers are still there.
    for qid in attempt.question_ids:
        for index in Question.objects.get(pk=qid).correct:
            page.locator(f"input[name='q-{qid}'][value='{index}']").check()
    page.get_by_role("button", name="保存答案").click()
    expect(page.locator(".message.success")).to_be_visible()
    page.reload()
    for qid in attempt.question_ids:
        for index in Question.objects.get(pk=qid).correct:
            expect(page.locator(f"input[name='q-{qid}'][value='{index}']")).to_be_checked()
    _shot(page, "quiz-zh-trainee")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("result")).to_contain_text("100%")
    expect(page.get_by_test_id("feedback")).to_contain_text("正确答案")
    _shot(page, "quiz-result-zh-trainee")

    # The lecturer (Russian) sees the trainee complete, and may reopen the quiz.
    page.context.clear_cookies()
    login_browser(lecturer)
    page.goto(f"/training/cohorts/{cohort.pk}/completion/")
    expect(page.get_by_test_id("trainee")).to_contain_text("Завершил(а)")
    _shot(page, "completion-ru-lecturer")

    # The secretariat issues certificates to everyone who completed.
    page.context.clear_cookies()
    login_browser(secretariat)
    page.goto(f"/training/cohorts/{cohort.pk}/completion/")
    page.get_by_test_id("issue-all").click()
    expect(page.locator(".message.success")).to_contain_text("Certificates issued: 1")
    certificate = Certificate.objects.get()
    expect(page.get_by_test_id("certificates")).to_contain_text(certificate.number)
    expect(page.get_by_test_id("certificates")).to_contain_text("PDF made")
    _shot(page, "completion-en-secretariat")

    # The trainee downloads the PDF.
    page.context.clear_cookies()
    login_browser(trainee)
    page.goto(f"/training/cohorts/{cohort.pk}/assessment/")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    _shot(page, "assessment-zh-certified")

    # Anyone checks the certificate, in each language, without signing in.
    page.context.clear_cookies()
    origin = page.evaluate("location.origin")
    for language, valid in (("zh-hans", "有效"), ("ru", "Действителен"), ("en", "Valid")):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": origin}])
        page.goto(f"/training/certificates/verify/{certificate.number}/")
        expect(page.get_by_test_id("status")).to_have_text(valid)
        expect(page.get_by_test_id("holder")).to_have_text(certificate.holder_name)
        assert trainee.email not in page.content()
        _shot(page, f"verify-{language}")


@pytest.mark.browser
def test_lecturer_writes_a_question_and_the_secretariat_sets_rules(
    browser_page: Page,
    login_browser: Callable[[User], None],
    lecturer: User,
    secretariat: User,
    cohort: Cohort,
    quiz: Quiz,
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login_browser(lecturer)
    page.goto(f"/training/cohorts/{cohort.pk}/assessment/")
    _shot(page, "assessment-ru-lecturer")
    page.get_by_role("link", name="Изменить тест и вопросы").click()
    expect(page.get_by_test_id("bank").locator("tbody tr")).to_have_count(6)
    _shot(page, "quiz-edit-ru-lecturer")
    page.get_by_role("link", name="Добавить вопрос").click()
    page.select_option("#id_kind", "multiple")
    page.fill("#id_text_zh", "哪些文件在尽职调查中常见？")
    page.fill("#id_text_ru", "Какие документы обычны при due diligence?")
    page.fill("#id_text_en", "Which documents are usual in due diligence?")
    page.fill("#id_options_zh", "专利证书\n财务报表\n菜单")
    page.fill("#id_options_ru", "Патент\nФинансовая отчётность\nМеню")
    page.fill("#id_options_en", "Patent certificate\nFinancial statements\nA menu")
    page.fill("#id_correct", "1,2")
    _shot(page, "question-form-ru-lecturer")
    page.get_by_test_id("question-form").get_by_role("button").click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.get_by_test_id("bank").locator("tbody tr")).to_have_count(7)
    question = quiz.questions.get(text_en__startswith="Which documents")
    assert question.correct == [0, 1]
    assert question.options[2] == {"zh": "菜单", "ru": "Меню", "en": "A menu"}

    page.context.clear_cookies()
    login_browser(secretariat)
    page.goto(f"/training/{cohort.programme_id}/completion-rules/")
    page.fill("#id_min_attendance_percent", "80")
    page.get_by_test_id("rules-form").get_by_role("button").click()
    expect(page.locator(".message.success")).to_be_visible()
    _shot(page, "rules-en-secretariat")
    assert CompletionRule.objects.get(programme_id=cohort.programme_id).min_attendance_percent == 80
