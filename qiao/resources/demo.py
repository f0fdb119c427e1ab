"""Sample teaching resources for the demo (labelled as sample), in the three languages,
published by the demo representatives of sample member organisations. Created once."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qiao.accounts.models import User
from qiao.alliance.models import Specialty
from qiao.resources import services
from qiao.resources.models import Resource

SAMPLE_PDF = b"%PDF-1.4\n% sample teaching resource for the Qiao demo\n%%EOF\n"

RESOURCES = (
    (
        "rep.harbin",
        "zh",
        "welding",
        "higher_vocational",
        "焊接工艺实训教程（示例）",
        "示例数据：介绍焊条电弧焊和气体保护焊的基本操作、安全规范与质量检验，附实训任务单。",
    ),
    (
        "rep.harbin",
        "zh",
        "chinese-language",
        "training",
        "“中文+职业技能”汽修汉语（示例）",
        "示例数据：面向俄罗斯学员的汽车维修专业汉语教材，包括常用词汇、对话和实训场景。",
    ),
    (
        "rep.khabarovsk",
        "ru",
        "rail-transport",
        "secondary",
        "Организация перевозок на железной дороге (пример)",
        "Пример: учебное пособие по организации грузовых перевозок и работе станций для колледжей.",
    ),
    (
        "rep.khabarovsk",
        "ru",
        "russian-language",
        "training",
        "Русский язык для логистов (пример)",
        "Пример: курс русского языка для китайских студентов-логистов: документы, таможня, склад.",
    ),
    (
        "rep.harbin",
        "en",
        "new-energy-vehicles",
        "higher_vocational",
        "Battery systems of new-energy vehicles: lab manual (sample)",
        "Sample data: laboratory exercises on battery packs, battery management systems and safe "
        "high-voltage work.",
    ),
)


def load_resources() -> int:
    if Resource.objects.filter(is_sample=True).exists():
        return 0
    n = 0
    with transaction.atomic():
        for i, (username, language, code, level, title, description) in enumerate(RESOURCES):
            user = User.objects.filter(username=username).first()
            if user is None or user.organization is None:
                continue
            content = (
                services.Content(file=SimpleUploadedFile(f"sample-{i + 1}.pdf", SAMPLE_PDF))
                if i % 2 == 0
                else services.Content(url=f"https://example.org/qiao-sample/resource-{i + 1}")
            )
            services.resource_publish(
                actor=user,
                resource=Resource(
                    title=title,
                    description=description,
                    language=language,
                    specialty=Specialty.objects.filter(code=code).first(),
                    level=level,
                    licence="cc-by-4.0",
                    is_sample=True,
                ),
                organizations=[user.organization],
                content=content,
            )
            n += 1
    return n
