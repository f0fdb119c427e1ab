# factory_boy declarations are not annotated:
# mypy: allow-untyped-calls, allow-untyped-decorators
"""factory_boy factories for the domain models.

Every factory builds a *valid* row (it would pass ``full_clean``) with the fewest queries:

    UserFactory.create()                            # a representative of a new organisation
    UserFactory.create(secretariat=True)            # traits: secretariat, broker, student
    OrganizationFactory.create(country=Country.RU)  # names and description in Russian
    ProfileFactory.create(language="zh")            # a draft offer written in Chinese
    ProfileFactory.create(published=True, kind=ProfileKind.REQUEST)
    MatchFactory.create(offer=my_offer)             # a published request on the other side

(`.create()` rather than calling the class: it is typed to return the model.)

Texts are fixed, natural sentences in the profile's language so that language detection and
the matcher see realistic input; a sequence number keeps titles unique.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from factory.declarations import (
    LazyAttribute,
    LazyAttributeSequence,
    LazyFunction,
    Maybe,
    SelfAttribute,
    Sequence,
    SubFactory,
    Trait,
)
from factory.django import DjangoModelFactory, Password
from factory.helpers import post_generation

from qiao.accounts.models import Role, UILanguage, User
from qiao.core.languages import ContentLanguage
from qiao.exchange.models import (
    DevelopmentStage,
    IPRStatus,
    Match,
    PartnershipType,
    Profile,
    ProfileKind,
    ProfileStatus,
    Sector,
)
from qiao.organizations.models import Country, Organization, OrganizationKind

PASSWORD = "correct horse battery staple"

# Content language of the texts an organisation from each country writes by default.
COUNTRY_LANGUAGE = {Country.CN: ContentLanguage.ZH, Country.RU: ContentLanguage.RU}
LANGUAGE_COUNTRY = {ContentLanguage.ZH: Country.CN, ContentLanguage.RU: Country.RU}


def country_language(country: str) -> str:
    return str(COUNTRY_LANGUAGE.get(Country(country), ContentLanguage.EN))


def language_country(language: str) -> str:
    return str(LANGUAGE_COUNTRY.get(ContentLanguage(language), Country.OTHER))


# --- organisations ---------------------------------------------------------------------------

_ORG_NAMES = {
    "zh": ("哈尔滨第{n}职业技术学院", "Harbin Vocational and Technical College No. {n}"),
    "ru": ("Новосибирский политехнический колледж № {n}", "Novosibirsk Polytechnic College {n}"),
    "en": ("", "Test Institute of Technology {n}"),
}
_ORG_DESCRIPTIONS = {
    "zh": "学院培养机械制造和新能源汽车维修方面的技术技能人才，并与企业开展联合研发。",
    "ru": "Колледж готовит специалистов по машиностроению и сварке и выполняет заказы "
    "промышленных предприятий региона.",
    "en": "The institute trains engineers and technicians and runs applied research "
    "projects with regional manufacturers.",
}


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    class Params:
        language = LazyAttribute(lambda o: country_language(o.country))

    country = Country.CN
    kind = OrganizationKind.HIGHER_VOCATIONAL
    name_zh = LazyAttributeSequence(
        lambda o, n: _ORG_NAMES["zh"][0].format(n=n) if o.language == "zh" else ""
    )
    name_ru = LazyAttributeSequence(
        lambda o, n: _ORG_NAMES["ru"][0].format(n=n) if o.language == "ru" else ""
    )
    name_en = LazyAttributeSequence(lambda o, n: _ORG_NAMES[o.language][1].format(n=n))
    city = LazyAttribute(lambda o: {"zh": "哈尔滨", "ru": "Новосибирск"}.get(o.language, "Astana"))
    website = Sequence(lambda n: f"https://org{n}.example.org/")
    description = LazyAttribute(lambda o: _ORG_DESCRIPTIONS[o.language])
    description_language = SelfAttribute("language")
    broker = None


# --- users -----------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory[User]):
    """A representative of a fresh organisation unless a role trait says otherwise."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        secretariat = Trait(role=Role.SECRETARIAT, organization=None, is_staff=True)
        broker = Trait(role=Role.BROKER, organization=None)
        student = Trait(role=Role.STUDENT, organization=None)

    username = Sequence(lambda n: f"user{n}")
    email = LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Test"
    last_name = Sequence(lambda n: f"User {n}")
    password = Password(PASSWORD)
    role = Role.REPRESENTATIVE
    preferred_language = UILanguage.EN
    organization = Maybe(
        LazyAttribute(lambda o: o.role == Role.REPRESENTATIVE),
        yes_declaration=SubFactory(OrganizationFactory),
        no_declaration=None,
    )


# --- sectors ---------------------------------------------------------------------------------


class SectorFactory(DjangoModelFactory[Sector]):
    class Meta:
        model = Sector

    code = Sequence(lambda n: f"sector-{n}")
    parent = None
    name_zh = Sequence(lambda n: f"先进制造{n}")
    name_ru = Sequence(lambda n: f"Передовое производство {n}")
    name_en = Sequence(lambda n: f"Advanced manufacturing {n}")


# --- technology profiles ---------------------------------------------------------------------

_PROFILE_TEXTS: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "激光熔覆修复大型轴类零件技术（{n}）",
        "summary": "本技术采用高功率半导体激光对磨损的轴类零件进行熔覆修复，修复后硬度和耐磨性"
        "优于原件。",
        "description": "我院研发的激光熔覆工艺可在不拆卸设备的情况下修复直径一百至八百毫米的"
        "轴类零件。修复层与基体冶金结合，变形小，修复成本约为更换新件的三分之一。"
        "该技术已在三家钢铁企业应用，寻求俄罗斯合作伙伴开展技术许可或联合推广。",
        "advantages": "修复周期短，节约材料，减少停机时间。",
        "technical_specification": "激光功率四千瓦，熔覆层厚度零点五至三毫米。",
        "keywords": ["激光熔覆", "再制造", "轴类零件"],
    },
    "ru": {
        "title": "Технология восстановления крупных валов лазерной наплавкой ({n})",
        "summary": "Технология позволяет восстанавливать изношенные валы лазерной наплавкой; "
        "твёрдость и износостойкость покрытия выше, чем у новой детали.",
        "description": "Колледж разработал процесс лазерной наплавки, который позволяет "
        "восстанавливать валы диаметром от ста до восьмисот миллиметров без демонтажа "
        "оборудования. Наплавленный слой прочно сцеплен с основой, деформация минимальна, "
        "а стоимость ремонта составляет около трети цены новой детали. Мы ищем партнёра в "
        "Китае для лицензионного соглашения или совместного внедрения.",
        "advantages": "Короткий срок ремонта, экономия материалов, меньше простоев.",
        "technical_specification": "Мощность лазера четыре киловатта, толщина слоя до трёх "
        "миллиметров.",
        "keywords": ["лазерная наплавка", "восстановление", "валы"],
    },
    "en": {
        "title": "Laser cladding repair of large shafts ({n})",
        "summary": "The technology repairs worn shafts by laser cladding; the coating is harder "
        "and more wear-resistant than the original part.",
        "description": "Our laboratory developed a laser cladding process that repairs shafts "
        "with a diameter of one hundred to eight hundred millimetres without dismantling the "
        "equipment. The clad layer bonds metallurgically with the base metal, distortion is "
        "minimal and the repair costs about a third of a new part. We are looking for a "
        "partner to license the process or to introduce it jointly.",
        "advantages": "Short repair time, material savings and less downtime.",
        "technical_specification": "Four kilowatt laser, clad layer up to three millimetres.",
        "keywords": ["laser cladding", "remanufacturing", "shafts"],
    },
}


def _text(name: str) -> LazyAttribute:
    return LazyAttribute(lambda o: _PROFILE_TEXTS[o.language][name])


class ProfileFactory(DjangoModelFactory[Profile]):
    """A valid draft technology offer whose text is written in ``language`` (default English).

    The owner organisation comes from the matching country (zh → CN, ru → RU, en → other).
    ``published=True`` makes it published and unexpired. Pass ``sectors=[...]`` to choose the
    sectors; by default the profile gets one new sector.
    """

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    class Params:
        published = Trait(
            status=ProfileStatus.PUBLISHED,
            submitted_at=LazyFunction(timezone.now),
            published_at=LazyFunction(timezone.now),
            expires_at=LazyFunction(
                lambda: timezone.now() + timedelta(days=settings.QIAO_PROFILE_VALIDITY_DAYS)
            ),
        )

    kind = ProfileKind.OFFER
    status = ProfileStatus.DRAFT
    language = ContentLanguage.EN
    title = LazyAttributeSequence(lambda o, n: _PROFILE_TEXTS[o.language]["title"].format(n=n))
    summary = _text("summary")
    description = _text("description")
    advantages = _text("advantages")
    technical_specification = _text("technical_specification")
    development_stage = DevelopmentStage.PROTOTYPE
    ipr_status = IPRStatus.GRANTED
    keywords = LazyAttribute(lambda o: list(_PROFILE_TEXTS[o.language]["keywords"]))
    partnership_types = LazyFunction(
        lambda: [PartnershipType.LICENCE.value, PartnershipType.TECHNICAL_COOPERATION.value]
    )
    target_countries = LazyAttribute(
        lambda o: [Country.RU.value] if o.language == "zh" else [Country.CN.value]
    )
    organization = SubFactory(
        OrganizationFactory,
        country=LazyAttribute(lambda o: language_country(o.factory_parent.language)),
    )
    created_by = None

    @post_generation
    def sectors(self, create: bool, extracted: list[Sector] | None, **kwargs: Any) -> None:
        if not create:
            return
        self.sectors.set(extracted if extracted is not None else [SectorFactory.create()])


class MatchFactory(DjangoModelFactory[Match]):
    """A match between a published Chinese offer and a published Russian request."""

    class Meta:
        model = Match

    offer = SubFactory(ProfileFactory, published=True, kind=ProfileKind.OFFER, language="zh")
    request = SubFactory(ProfileFactory, published=True, kind=ProfileKind.REQUEST, language="ru")
    score = 72.5
    explanation = LazyFunction(
        lambda: {
            "semantic": 0.71,
            "lexical": 0.4,
            "passages": [],
            "shared_terms": [],
            "shared_numbers": [],
            "shared_names": [],
        }
    )
    model_name = "test-model"
