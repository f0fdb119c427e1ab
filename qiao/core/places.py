"""Place names in the three languages: provinces and regions by ISO 3166-2 code, and the cities
the platform's organisations are in. Proper names, not UI strings: they live here rather than
in the catalogs.

Organisations and postings store a region or city as typed, in one script ("哈尔滨",
"Хабаровский край"); `place_name` shows it in the reader's language when the table knows it
(under any of its three names) and as typed otherwise. Add a place here when data uses it.
"""

from __future__ import annotations

from typing import NamedTuple

from qiao.core.languages import pick_localized


class Place(NamedTuple):
    code: str
    zh: str
    ru: str
    en: str

    @property
    def country(self) -> str:
        return self.code[:2]  # of a region (ISO 3166-2 code)

    def display_name(self, ui_language: str | None = None) -> str:
        from django.utils.translation import get_language

        return pick_localized(
            {"zh": self.zh, "ru": self.ru, "en": self.en}, ui_language or get_language()
        )


# The 31 province-level divisions of mainland China (ISO 3166-2:CN).
CHINA = (
    Place("CN-HL", "黑龙江省", "Хэйлунцзян", "Heilongjiang"),
    Place("CN-JL", "吉林省", "Цзилинь", "Jilin"),
    Place("CN-LN", "辽宁省", "Ляонин", "Liaoning"),
    Place("CN-NM", "内蒙古自治区", "Внутренняя Монголия", "Inner Mongolia"),
    Place("CN-BJ", "北京市", "Пекин", "Beijing"),
    Place("CN-TJ", "天津市", "Тяньцзинь", "Tianjin"),
    Place("CN-HE", "河北省", "Хэбэй", "Hebei"),
    Place("CN-SX", "山西省", "Шаньси", "Shanxi"),
    Place("CN-SD", "山东省", "Шаньдун", "Shandong"),
    Place("CN-HA", "河南省", "Хэнань", "Henan"),
    Place("CN-SH", "上海市", "Шанхай", "Shanghai"),
    Place("CN-JS", "江苏省", "Цзянсу", "Jiangsu"),
    Place("CN-ZJ", "浙江省", "Чжэцзян", "Zhejiang"),
    Place("CN-AH", "安徽省", "Аньхой", "Anhui"),
    Place("CN-FJ", "福建省", "Фуцзянь", "Fujian"),
    Place("CN-JX", "江西省", "Цзянси", "Jiangxi"),
    Place("CN-HB", "湖北省", "Хубэй", "Hubei"),
    Place("CN-HN", "湖南省", "Хунань", "Hunan"),
    Place("CN-GD", "广东省", "Гуандун", "Guangdong"),
    Place("CN-GX", "广西壮族自治区", "Гуанси-Чжуанский автономный район", "Guangxi"),
    Place("CN-HI", "海南省", "Хайнань", "Hainan"),
    Place("CN-CQ", "重庆市", "Чунцин", "Chongqing"),
    Place("CN-SC", "四川省", "Сычуань", "Sichuan"),
    Place("CN-GZ", "贵州省", "Гуйчжоу", "Guizhou"),
    Place("CN-YN", "云南省", "Юньнань", "Yunnan"),
    Place("CN-XZ", "西藏自治区", "Тибетский автономный район", "Tibet"),
    Place("CN-SN", "陕西省", "Шэньси", "Shaanxi"),
    Place("CN-GS", "甘肃省", "Ганьсу", "Gansu"),
    Place("CN-QH", "青海省", "Цинхай", "Qinghai"),
    Place("CN-NX", "宁夏回族自治区", "Нинся-Хуэйский автономный район", "Ningxia"),
    Place("CN-XJ", "新疆维吾尔自治区", "Синьцзян-Уйгурский автономный район", "Xinjiang"),
)

# Russian regions whose institutions take part in cross-border cooperation (ISO 3166-2:RU).
RUSSIA = (
    Place("RU-KHA", "哈巴罗夫斯克边疆区", "Хабаровский край", "Khabarovsk Krai"),
    Place("RU-PRI", "滨海边疆区", "Приморский край", "Primorsky Krai"),
    Place("RU-AMU", "阿穆尔州", "Амурская область", "Amur Oblast"),
    Place("RU-YEV", "犹太自治州", "Еврейская автономная область", "Jewish Autonomous Oblast"),
    Place("RU-ZAB", "外贝加尔边疆区", "Забайкальский край", "Zabaykalsky Krai"),
    Place("RU-IRK", "伊尔库茨克州", "Иркутская область", "Irkutsk Oblast"),
    Place("RU-NVS", "新西伯利亚州", "Новосибирская область", "Novosibirsk Oblast"),
    Place("RU-SA", "萨哈（雅库特）共和国", "Республика Саха (Якутия)", "Sakha (Yakutia)"),
    Place("RU-MOW", "莫斯科", "Москва", "Moscow"),
    Place("RU-SPE", "圣彼得堡", "Санкт-Петербург", "St Petersburg"),
    Place("RU-TOM", "托木斯克州", "Томская область", "Tomsk Oblast"),
)

# Regions outside the alliance's list that organisations name.
OTHER_REGIONS = (
    Place("RU-MOS", "莫斯科州", "Московская область", "Moscow Oblast"),
    Place("RU-TA", "鞑靼斯坦共和国", "Республика Татарстан", "Tatarstan"),
    Place("KZ-75", "阿拉木图", "Алматы", "Almaty"),
)

# Cities, keyed by their English name (cities have no ISO code).
CITIES = (
    Place("Harbin", "哈尔滨", "Харбин", "Harbin"),
    Place("Daqing", "大庆", "Дацин", "Daqing"),
    Place("Qiqihar", "齐齐哈尔", "Цицикар", "Qiqihar"),
    Place("Mudanjiang", "牡丹江", "Муданьцзян", "Mudanjiang"),
    Place("Jiamusi", "佳木斯", "Цзямусы", "Jiamusi"),
    Place("Heihe", "黑河", "Хэйхэ", "Heihe"),
    Place("Suifenhe", "绥芬河", "Суйфэньхэ", "Suifenhe"),
    Place("Changchun", "长春", "Чанчунь", "Changchun"),
    Place("Shenyang", "沈阳", "Шэньян", "Shenyang"),
    Place("Dalian", "大连", "Далянь", "Dalian"),
    Place("Beijing", "北京", "Пекин", "Beijing"),
    Place("Shanghai", "上海", "Шанхай", "Shanghai"),
    Place("Khabarovsk", "哈巴罗夫斯克", "Хабаровск", "Khabarovsk"),
    Place("Vladivostok", "符拉迪沃斯托克", "Владивосток", "Vladivostok"),
    Place("Blagoveshchensk", "布拉戈维申斯克", "Благовещенск", "Blagoveshchensk"),
    Place("Yakutsk", "雅库茨克", "Якутск", "Yakutsk"),
    Place("Irkutsk", "伊尔库茨克", "Иркутск", "Irkutsk"),
    Place("Novosibirsk", "新西伯利亚", "Новосибирск", "Novosibirsk"),
    Place("Tomsk", "托木斯克", "Томск", "Tomsk"),
    Place("Kazan", "喀山", "Казань", "Kazan"),
    Place("Moscow", "莫斯科", "Москва", "Moscow"),
    Place("Dolgoprudny", "多尔戈普鲁德内", "Долгопрудный", "Dolgoprudny"),
    Place("St Petersburg", "圣彼得堡", "Санкт-Петербург", "St Petersburg"),
    Place("Almaty", "阿拉木图", "Алматы", "Almaty"),
    Place("Astana", "阿斯塔纳", "Астана", "Astana"),
)

# Every name of every place, case-folded. Regions first: a city of the same name (Moscow)
# reads the same, and codes are looked up too.
_BY_NAME: dict[str, Place] = {}
for _place in (*CITIES, *OTHER_REGIONS, *RUSSIA, *CHINA):
    for _name in (_place.code, _place.zh, _place.ru, _place.en):
        _BY_NAME[_name.casefold()] = _place


def place_name(value: str, ui_language: str | None = None) -> str:
    """A region or city in the reader's language; as stored when the table does not know it."""
    place = _BY_NAME.get(value.strip().casefold())
    return place.display_name(ui_language) if place else value
