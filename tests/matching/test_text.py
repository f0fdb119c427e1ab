from __future__ import annotations

from pathlib import Path

import pytest

from matching.text import (
    _zh_cut,
    analyze,
    detect_language,
    extract_codes,
    extract_names,
    extract_numbers,
    guess_language,
    name_key,
    normalize,
    pinyin,
    split_passages,
    split_sentences,
    stem,
    to_simplified,
    tokenize,
    transliterate_cyrillic,
    zh_words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Технология сварки трубопроводов для северных регионов.", "ru"),
        ("哈尔滨工业大学开发的焊接技术。", "zh"),
        ("Pipeline welding technology for northern regions.", "en"),
        ("采用LNG和IoT技术的5G智能系统", "zh"),  # Latin acronyms inside Chinese
        ("Система на базе PLC и IoT для предприятий", "ru"),
        ("臺灣的電腦軟體", "zh"),  # Traditional script
    ],
)
def test_detects_supported_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "empty"),
        ("  123 456 — %", "empty"),
        ("これは日本語のテストです。", "unsupported-script"),
        ("한국어 텍스트입니다", "unsupported-script"),
        ("مرحبا بالعالم", "unsupported-script"),
        ("Dies ist ein Test und das ist nicht gut.", "unsupported-latin"),
        ("C'est une technologie développée pour les entreprises.", "unsupported-latin"),
        ("El sistema de control para los motores eléctricos.", "unsupported-latin"),
    ],
)
def test_reports_unsupported_text(text: str, status: str) -> None:
    guess = guess_language(text)
    assert guess.language is None
    assert guess.status == status
    assert detect_language(text) is None


def test_traditional_folds_to_simplified() -> None:
    assert to_simplified("臺灣的電腦軟體與資訊技術") == "台湾的电脑软体与资讯技术"
    assert to_simplified("Без китайского текста") == "Без китайского текста"
    assert normalize("ＡＢＣ　電腦") == "abc 电脑"  # full-width folded too


def test_zh_segmentation_finds_words() -> None:
    words = zh_words("哈尔滨工业大学开发了焊接技术", for_search=False)
    assert "哈尔滨工业大学" in words
    assert "焊接" in words
    # search mode adds the words inside long ones
    assert "哈尔滨" in zh_words("哈尔滨工业大学")


def test_ru_stemming_merges_inflections() -> None:
    forms = ["технология", "технологии", "технологий", "технологиями"]
    assert len({stem(f, "ru") for f in forms}) == 1
    assert tokenize("Сварка трубопроводов", "ru") == tokenize("сварки трубопровода", "ru")


def test_analyze_drops_stopwords_and_keeps_surface_forms() -> None:
    terms = analyze("The welding of pipelines and the welded joints", "en")
    assert [t.key for t in terms] == ["weld", "pipelin", "weld", "joint"]
    assert terms[0].surface == "welding"
    zh = [t.key for t in analyze("这是一种焊接技術", "zh")]
    assert "焊接" in zh and "技术" in zh  # Traditional 技術 folded
    assert "的" not in zh and "是" not in zh


def test_sentence_splitting() -> None:
    assert split_sentences("第一句。第二句！第三句？第四；", "zh") == [
        "第一句。",
        "第二句！",
        "第三句？",
        "第四；",
    ]
    ru = split_sentences("Это т.е. одно предложение. А. С. Пушкин — второе! Третье?", "ru")
    assert ru == ["Это т.е. одно предложение.", "А. С. Пушкин — второе!", "Третье?"]
    assert split_sentences("Line one\nLine two. Next.", "en") == ["Line one", "Line two.", "Next."]


def test_passages_merge_fragments_and_cut_long_ones() -> None:
    text = "Short one. This sentence is long enough to stand alone. And so is this one here."
    assert split_passages(text, "en") == [
        "Short one. This sentence is long enough to stand alone.",
        "And so is this one here.",
    ]
    assert split_passages("标题\n第一句话比较长一些。第二句也不短啊。", "zh") == [
        "标题第一句话比较长一些。",
        "第二句也不短啊。",
    ]
    long_text = ", ".join(["a clause of some length"] * 40)
    assert all(len(p) <= 400 for p in split_passages(long_text, "en"))


@pytest.mark.parametrize(
    ("text", "language", "key"),
    [
        ("мощность 5 МВт", "ru", "5 mw"),
        ("a 5MW turbine", "en", "5 mw"),
        ("5兆瓦风机", "zh", "5 mw"),
        ("КПД 98 %", "ru", "98%"),
        ("效率98％", "zh", "98%"),
        ("1,5 тыс. т в год", "ru", "1500 t"),
        ("年产1.5万吨", "zh", "15000 t"),
        ("10,000 units", "en", "10000"),
        ("при 120℃", "zh", "120 °c"),
        ("площадь 50 м²", "ru", "50 m2"),
        ("напряжение 220 В", "ru", "220 v"),
    ],
)
def test_numbers_are_normalised_across_languages(text: str, language: str, key: str) -> None:
    assert key in [m.key for m in extract_numbers(text, language)]  # type: ignore[arg-type]


def test_plain_small_numbers_and_prepositions_are_not_measures() -> None:
    keys = [m.key for m in extract_numbers("шаг 1, шаг 2, в 3 раза, с 2020 г.", "ru")]
    assert keys == ["2020"]


def test_codes_match_across_languages() -> None:
    ru = {
        m.key for m in extract_codes("По ГОСТ Р 51321.1-2007 и ISO 9001:2015; СПГ, ЧПУ, 5G", "ru")
    }
    en = {m.key for m in extract_codes("Per GOST R 51321.1 and ISO 9001, LNG, CNC, 5G", "en")}
    zh = {m.key for m in extract_codes("符合ISO 9001标准的液化天然气数控设备，支持5G", "zh")}
    assert {"gost r 51321.1", "iso 9001", "lng", "cnc", "5g"} <= ru & en
    assert {"iso 9001", "lng", "cnc", "5g"} <= zh
    # ordinary capitalised English words are not codes; measures are not codes
    assert {m.key for m in extract_codes("The Company makes 5MW units", "en")} == set()


def test_names_match_across_scripts() -> None:
    assert name_key("kharbin") == name_key("harbin") == name_key(pinyin("哈尔滨")) == "hlbn"
    assert transliterate_cyrillic("Иркутск") == "irkutsk"
    ru = {
        m.key for m in extract_names("Компания из Харбина. Директор Иванов был в Иркутске.", "ru")
    }
    en = {
        m.key
        for m in extract_names("A company from Harbin; director Ivanov visited Irkutsk.", "en")
    }
    zh = {m.key for m in extract_names("哈尔滨的公司，伊万诺夫去了伊尔库茨克。", "zh")}
    assert {"place:harbin", "name:fnf", "name:lkck"} <= ru & en & zh


@pytest.mark.parametrize(
    ("text", "language", "keys"),
    [
        ("построен в 1759 году", "ru", ["1759"]),  # a year, not a duration
        ("建于1759年", "zh", ["1759"]),
        ("за 15 лет", "ru", ["15 yr"]),  # a duration
        ("a deal worth $8bn", "en", ["8000000000"]),
    ],
)
def test_years_and_multipliers(text: str, language: str, keys: list[str]) -> None:
    assert [m.key for m in extract_numbers(text, language)] == keys  # type: ignore[arg-type]


def test_ordinals_plurals_and_measures_are_not_codes() -> None:
    keys = [
        m.key for m in extract_codes("The 60th anniversary of the 1930s: TVs, 8bn, 3.5kg", "en")
    ]
    assert keys == ["tv"]


def test_fast_paths_agree_with_opencc_and_jieba() -> None:
    import jieba
    import opencc

    convert = opencc.OpenCC("t2s").convert
    for text in (
        "哈爾濱工業大學的焊接技術",
        "一目瞭然",
        "反覆試驗",
        "哈尔滨工业大学的焊接技术",
        "abc",
    ):
        assert to_simplified(text) == convert(text)
    text = "哈尔滨工业大学开发了低温焊接技术"
    assert zh_words(text) == jieba.lcut_for_search(text)
    assert zh_words(text, for_search=False) == jieba.lcut(text)


# --- Chinese segmentation: jieba-rs with jieba's splitting of other runs == jieba ----------------

PARALLEL = Path(__file__).resolve().parents[3] / "shared/benchmarks/parallel"


@pytest.mark.parametrize(
    "text",
    [
        "兼容 802.11a、802.11b 的设备",
        "IEEE 802.11N标准",
        "自1995-96赛季以来",
        "使用c++语言和C#开发",
        "哈尔滨工业大学与莫斯科物理技术学院合作",
        "温度达到35.5%时,功率为5MW",
        "T恤和B超",
        "俄罗斯Росатом公司",
        "",
    ],
)
def test_zh_segmentation_is_jiebas(text: str) -> None:
    import jieba

    assert _zh_cut(text) == tuple(jieba.lcut(text))


@pytest.mark.skipif(not PARALLEL.exists(), reason="needs ../shared/benchmarks")
def test_zh_segmentation_is_jiebas_on_the_benchmark_sentences() -> None:
    import jieba

    lines = sorted({normalize(line) for path in PARALLEL.glob("*/zh.txt") for line in path.open()})
    different = [line for line in lines if _zh_cut(line) != tuple(jieba.lcut(line))]
    assert len(lines) > 1000
    assert different == []
