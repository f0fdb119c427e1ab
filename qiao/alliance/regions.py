"""Provinces and regions of member organisations, by ISO 3166-2 code, with their names in the
three languages. Proper names, not UI strings: they live here rather than in the catalogs."""

from __future__ import annotations

from typing import NamedTuple

from qiao.core.languages import pick_localized


class Region(NamedTuple):
    code: str
    zh: str
    ru: str
    en: str

    @property
    def country(self) -> str:
        return self.code[:2]

    def display_name(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        return pick_localized(
            {"zh": self.zh, "ru": self.ru, "en": self.en}, ui_language or get_language()
        )


# The 31 province-level divisions of mainland China (ISO 3166-2:CN).
CHINA = (
    Region("CN-HL", "黑龙江省", "Хэйлунцзян", "Heilongjiang"),
    Region("CN-JL", "吉林省", "Цзилинь", "Jilin"),
    Region("CN-LN", "辽宁省", "Ляонин", "Liaoning"),
    Region("CN-NM", "内蒙古自治区", "Внутренняя Монголия", "Inner Mongolia"),
    Region("CN-BJ", "北京市", "Пекин", "Beijing"),
    Region("CN-TJ", "天津市", "Тяньцзинь", "Tianjin"),
    Region("CN-HE", "河北省", "Хэбэй", "Hebei"),
    Region("CN-SX", "山西省", "Шаньси", "Shanxi"),
    Region("CN-SD", "山东省", "Шаньдун", "Shandong"),
    Region("CN-HA", "河南省", "Хэнань", "Henan"),
    Region("CN-SH", "上海市", "Шанхай", "Shanghai"),
    Region("CN-JS", "江苏省", "Цзянсу", "Jiangsu"),
    Region("CN-ZJ", "浙江省", "Чжэцзян", "Zhejiang"),
    Region("CN-AH", "安徽省", "Аньхой", "Anhui"),
    Region("CN-FJ", "福建省", "Фуцзянь", "Fujian"),
    Region("CN-JX", "江西省", "Цзянси", "Jiangxi"),
    Region("CN-HB", "湖北省", "Хубэй", "Hubei"),
    Region("CN-HN", "湖南省", "Хунань", "Hunan"),
    Region("CN-GD", "广东省", "Гуандун", "Guangdong"),
    Region("CN-GX", "广西壮族自治区", "Гуанси-Чжуанский автономный район", "Guangxi"),
    Region("CN-HI", "海南省", "Хайнань", "Hainan"),
    Region("CN-CQ", "重庆市", "Чунцин", "Chongqing"),
    Region("CN-SC", "四川省", "Сычуань", "Sichuan"),
    Region("CN-GZ", "贵州省", "Гуйчжоу", "Guizhou"),
    Region("CN-YN", "云南省", "Юньнань", "Yunnan"),
    Region("CN-XZ", "西藏自治区", "Тибетский автономный район", "Tibet"),
    Region("CN-SN", "陕西省", "Шэньси", "Shaanxi"),
    Region("CN-GS", "甘肃省", "Ганьсу", "Gansu"),
    Region("CN-QH", "青海省", "Цинхай", "Qinghai"),
    Region("CN-NX", "宁夏回族自治区", "Нинся-Хуэйский автономный район", "Ningxia"),
    Region("CN-XJ", "新疆维吾尔自治区", "Синьцзян-Уйгурский автономный район", "Xinjiang"),
)

# Russian regions whose institutions take part in cross-border cooperation (ISO 3166-2:RU).
RUSSIA = (
    Region("RU-KHA", "哈巴罗夫斯克边疆区", "Хабаровский край", "Khabarovsk Krai"),
    Region("RU-PRI", "滨海边疆区", "Приморский край", "Primorsky Krai"),
    Region("RU-AMU", "阿穆尔州", "Амурская область", "Amur Oblast"),
    Region("RU-YEV", "犹太自治州", "Еврейская автономная область", "Jewish Autonomous Oblast"),
    Region("RU-ZAB", "外贝加尔边疆区", "Забайкальский край", "Zabaykalsky Krai"),
    Region("RU-IRK", "伊尔库茨克州", "Иркутская область", "Irkutsk Oblast"),
    Region("RU-NVS", "新西伯利亚州", "Новосибирская область", "Novosibirsk Oblast"),
    Region("RU-SA", "萨哈（雅库特）共和国", "Республика Саха (Якутия)", "Sakha (Yakutia)"),
    Region("RU-MOW", "莫斯科", "Москва", "Moscow"),
    Region("RU-SPE", "圣彼得堡", "Санкт-Петербург", "St Petersburg"),
    Region("RU-TOM", "托木斯克州", "Томская область", "Tomsk Oblast"),
)

ALL = CHINA + RUSSIA
BY_CODE = {region.code: region for region in ALL}


def region_choices() -> list[tuple[str, str]]:
    """(code, name in the active UI language), China first; call per request, not at import."""
    return [(region.code, region.display_name()) for region in ALL]


def region_name(code: str) -> str:
    region = BY_CODE.get(code)
    return region.display_name() if region else code
