"""The certificate as a PDF: one A4 landscape page in Chinese, Russian and English at once, with
the holder's name, the programme, the cohort's dates, the number and a QR code of the public
verification URL. fpdf2 embeds (and subsets) a TrueType font that has Chinese, Cyrillic and Latin
glyphs: Debian's fonts-wqy-microhei, which ./dev.sh installs (docs/assessment.md)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import TextMode

from qiao.assessment.models import Certificate

# fontTools logs every glyph it keeps when fpdf2 subsets the font: far too much.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
RED = (179, 38, 30)
INK = (33, 33, 33)
GREY = (110, 110, 110)


class CertificateFontMissing(ImproperlyConfigured):
    pass


def font_path() -> Path:
    """QIAO_CERTIFICATE_FONT, else the first WenQuanYi font installed; a clear error if none."""
    configured = os.environ.get("QIAO_CERTIFICATE_FONT") or getattr(
        settings, "QIAO_CERTIFICATE_FONT", ""
    )
    candidates = [configured] if configured else list(FONT_CANDIDATES)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise CertificateFontMissing(
        "No font for certificates: looked for "
        + ", ".join(c for c in candidates if c)
        + ". Install Debian's fonts-wqy-microhei (`apt-get install fonts-wqy-microhei`; "
        "./dev.sh test does it) or set QIAO_CERTIFICATE_FONT to a TrueType font (.ttf/.ttc) "
        "with Chinese, Cyrillic and Latin glyphs."
    )


def verification_url(certificate: Certificate) -> str:
    path = reverse("assessment:verify-number", args=[certificate.number])
    return settings.BASE_URL.rstrip("/") + path


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as vector squares (sharp at any zoom, no image library)."""
    code = segno.make(url, error="m")
    matrix = [list(bits) for bits in code.matrix_iter(scale=1, border=0)]
    module = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row, bits in enumerate(matrix):
        # One rectangle per run of dark modules, slightly overlapping the next row, so that
        # viewers show no hairline seams between modules.
        col = 0
        while col < len(bits):
            if not bits[col]:
                col += 1
                continue
            run = col
            while run < len(bits) and bits[run]:
                run += 1
            pdf.rect(
                x + col * module, y + row * module, (run - col) * module, module * 1.05, style="F"
            )
            col = run


def _centred(
    pdf: FPDF,
    text: str,
    size: float,
    colour: tuple[int, int, int],
    *,
    bold: bool = False,
    gap: float = 1.5,
) -> None:
    pdf.set_font("qiao", size=size)
    pdf.set_text_color(*colour)
    if bold:
        pdf.text_mode = TextMode.FILL_STROKE
        pdf.set_draw_color(*colour)
        pdf.set_line_width(size / 90)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(0, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.text_mode = TextMode.FILL
    pdf.ln(gap)


def certificate_pdf(certificate: Certificate) -> bytes:
    font = font_path()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"Certificate {certificate.number}")
    pdf.set_author("Qiao · 桥 · Мост")
    pdf.set_creator("Qiao")
    pdf.set_auto_page_break(False)
    pdf.set_margins(28, 20, 28)
    pdf.add_font("qiao", fname=str(font), collection_font_number=0)
    pdf.add_page()
    width, height = pdf.w, pdf.h

    # Frame: a thick and a thin red line.
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, width - 16, height - 16)
    pdf.set_line_width(0.4)
    pdf.rect(12, 12, width - 24, height - 24)

    pdf.set_y(19)
    _centred(pdf, "桥 · Мост · Qiao", 11, RED, gap=0.5)
    _centred(
        pdf,
        "中俄技术转移与职业教育合作平台 · Российско-китайская платформа сотрудничества · "
        "China–Russia cooperation platform",
        8,
        GREY,
        gap=4,
    )
    _centred(pdf, "结业证书", 30, RED, bold=True, gap=1)
    _centred(pdf, "СЕРТИФИКАТ  ·  CERTIFICATE OF COMPLETION", 17, RED, bold=True, gap=5)
    _centred(
        pdf, "兹证明 · Настоящим удостоверяется, что · This is to certify that", 11, GREY, gap=3
    )
    _centred(pdf, certificate.holder_name, 26, INK, bold=True, gap=3)
    _centred(
        pdf,
        "已完成 · успешно завершил(а) программу · has completed the programme",
        11,
        GREY,
        gap=3,
    )
    for title in (certificate.programme_zh, certificate.programme_ru, certificate.programme_en):
        if title:
            _centred(pdf, title, 14, INK, gap=0.8)
    start = certificate.cohort_starts_on.isoformat()
    end = certificate.cohort_ends_on.isoformat()
    pdf.ln(2)
    _centred(pdf, f"{start} – {end}", 12, INK, gap=1)

    # Bottom: number and date on the left, the QR code of the verification page on the right.
    url = verification_url(certificate)
    qr_size = 30
    qr_x, qr_y = width - 28 - qr_size, height - 22 - qr_size
    _qr(pdf, url, qr_x, qr_y, qr_size)
    left = 28
    pdf.set_text_color(*INK)
    pdf.set_font("qiao", size=10)
    # The platform's own zone (Harbin), as on the verification page.
    issued = timezone.localdate(certificate.issued_at).isoformat()
    lines = (
        ("证书编号 · Номер сертификата · Certificate number", 8, GREY),
        (certificate.number, 13, INK),
        (f"颁发日期 · Дата выдачи · Issued on  {issued}", 9, INK),
        ("验证 · Проверка подлинности · Verify:", 8, GREY),
        (url, 8, INK),
    )
    y = qr_y - 1
    for text, size, colour in lines:
        pdf.set_font("qiao", size=size)
        pdf.set_text_color(*colour)
        pdf.set_xy(left, y)
        pdf.cell(qr_x - left - 6, size * 0.45, text)
        y += size * 0.45 + 1.6
    return bytes(pdf.output())
