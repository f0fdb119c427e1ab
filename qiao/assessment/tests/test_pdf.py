"""The certificate PDF: one A4 landscape page in Chinese, Russian and English, the holder's
name in their own script, the number, and the verification URL, rendered to
an image that is not blank."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.utils import timezone

from qiao.assessment import pdf
from qiao.assessment.models import Certificate
from qiao.training.models import Enrolment

HOLDERS = (("zh", "王小明"), ("ru", "Иванов Пётр Сергеевич"), ("en", "Aliya Nurlanovna"))


def _certificate(enrolment: Enrolment, name: str, number: str) -> Certificate:
    return Certificate(
        pk=1,
        number=number,
        enrolment=enrolment,
        holder_name=name,
        programme_zh="中俄技术经理人实训项目",
        programme_ru="Российско-китайская программа подготовки технологических брокеров",
        programme_en="China–Russia technology-manager training programme",
        cohort_starts_on=date(2027, 7, 19),
        cohort_ends_on=date(2027, 7, 30),
        issued_at=timezone.now(),
    )


@pytest.mark.parametrize(("language", "name"), HOLDERS)
def test_certificate_pdf_in_all_three_languages(
    language: str, name: str, completed: Enrolment, tmp_path: Path
) -> None:
    certificate = _certificate(completed, name, "QIAO-2027-AB23-CD45")
    data = pdf.certificate_pdf(certificate)
    assert data.startswith(b"%PDF")
    document = pdfium.PdfDocument(data)
    assert len(document) == 1
    page = document[0]
    width, height = page.get_size()
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    text = page.get_textpage().get_text_range()
    for expected in (
        name,
        "结业证书",
        "СЕРТИФИКАТ",
        "CERTIFICATE",
        "中俄技术经理人实训项目",
        "подготовки технологических брокеров",
        "technology-manager training programme",
        "2027-07-19 – 2027-07-30",
        "QIAO-2027-AB23-CD45",
        "/training/certificates/verify/QIAO-2027-AB23-CD45/",
    ):
        assert expected in text.replace("\r\n", " ").replace("\n", " ") or expected in text
    picture = page.render(scale=1.5).to_pil()
    picture.save(tmp_path / f"certificate-{language}.png")
    image = picture.convert("L")
    # Not blank: a good share of the page is ink, and the QR corner is dark.
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert dark / (image.width * image.height) > 0.02


def test_missing_font_fails_with_a_clear_message(
    completed: Enrolment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QIAO_CERTIFICATE_FONT", "/nonexistent/font.ttc")
    certificate = _certificate(completed, "王小明", "QIAO-2027-AB23-CD45")
    with pytest.raises(pdf.CertificateFontMissing, match="fonts-wqy-microhei"):
        pdf.certificate_pdf(certificate)
