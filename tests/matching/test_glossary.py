"""The trilingual skill thesaurus: lookups, normalisation and the bundled data file."""

from __future__ import annotations

import re
import time
from importlib import resources
from pathlib import Path

import pytest

from matching.glossary import (
    DEFAULT_PATH,
    LANGUAGES,
    Concept,
    Glossary,
    GlossaryError,
    default_glossary,
    term_key,
)


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return default_glossary()


def test_reading_drawings_is_one_skill_in_three_languages(glossary: Glossary) -> None:
    # Issue 16: the model scores 识图 / чтение чертежей 0.51 and 机械识图 / чтение чертежей 0.36.
    terms = ["识图", "识读图纸", "机械识图", "чтение чертежей", "blueprint reading"]
    assert {glossary.concept_id(t) for t in terms} == {"drawing_reading"}
    assert glossary["drawing_reading"].label("ru") == "чтение чертежей"


@pytest.mark.parametrize(
    ("terms", "concept"),
    [
        (["PLC编程", "ПЛК", "PLC", "программируемые логические контроллеры"], "plc_programming"),
        (["数控编程", "программирование ЧПУ", "G-code"], "cnc_programming"),
        (["无损检测", "НК", "NDT", "дефектоскопия"], "non_destructive_testing"),
        (["质检", "ОТК", "QC", "quality control"], "quality_control"),
        (["二氧化碳气体保护焊", "сварка в среде защитного газа", "GMAW", "MIG/MAG"], None),
        (["机器人示教编程", "программирование промышленных роботов"], "robot_programming"),
        (["外贸单证", "внешнеторговая документация", "export documentation"], None),
        (["1С", "1C", "1С:Предприятие"], "one_c"),
    ],
)
def test_synonyms_and_abbreviations_share_a_concept(
    glossary: Glossary, terms: list[str], concept: str | None
) -> None:
    found = {glossary.concept_id(t) for t in terms}
    assert len(found) == 1 and None not in found, found
    if concept is not None:
        assert found == {concept}


@pytest.mark.parametrize(
    "variant",
    [
        "Чтение Чертежей",  # case
        "  чтение\u00a0 чертежей ",  # spaces
        "чтение чертежей.",  # punctuation
        "«чтение чертежей»",
        "чтения чертежей",  # Russian inflection: Snowball stems
        "чтением чертежей",
        "識圖",  # Traditional script
        "识 图",  # a space inside Chinese
        "Blueprint-Reading",
    ],
)
def test_lookup_is_normalised(glossary: Glossary, variant: str) -> None:
    assert glossary.concept_id(variant) == "drawing_reading"


def test_width_case_and_yo_are_folded(glossary: Glossary) -> None:
    assert glossary.concept_id("ＰＬＣ编程") == "plc_programming"  # full-width Latin
    assert glossary.concept_id("plc 编程") == "plc_programming"
    assert glossary.concept_id("электромонтер") == glossary.concept_id("электромонтёр")
    assert term_key("C++") == "c++" and term_key("C#") == "c#"
    assert glossary.concept_id("C++") != glossary.concept_id("C#")


def test_unknown_or_empty_terms_are_none(glossary: Glossary) -> None:
    assert glossary.concept_id("квантовая хромодинамика") is None
    assert glossary.concept_id("") is None
    assert glossary.concept_id(" — ") is None
    assert glossary.concept_ids(["焊接", "nonsense skill"]) == ["welding", None]


def test_neighbouring_skills_stay_apart(glossary: Glossary) -> None:
    # Reading drawings is not making them; welding is not installing wiring.
    assert glossary.concept_id("识图") != glossary.concept_id("机械制图")
    assert glossary.concept_id("焊接") != glossary.concept_id("электромонтаж")
    assert glossary.concept_id("statistics") != glossary.concept_id("Excel")


# --- the bundled data file ---------------------------------------------------------------------


def test_every_concept_has_terms_in_en_zh_and_ru(glossary: Glossary) -> None:
    assert 150 <= len(glossary) <= 300
    for concept in glossary:
        assert set(concept.terms) == set(LANGUAGES), concept.id
        assert re.fullmatch(r"[a-z0-9_]+", concept.id), concept.id
        assert re.search("[\u4e00-\u9fff]", " ".join(concept.terms["zh"])), concept.id
        assert re.search("[а-яё]", " ".join(concept.terms["ru"]).lower()), concept.id
        assert re.search("[a-z]", concept.label("en").lower()), concept.id


def test_every_term_finds_its_own_concept(glossary: Glossary) -> None:
    """No term (after normalisation and stemming) is under two concepts."""
    for concept in glossary:
        for terms in concept.terms.values():
            for term in terms:
                assert glossary.concept_id(term) == concept.id, (term, concept.id)


def test_a_term_under_two_concepts_is_refused() -> None:
    concepts = [
        Concept("a", {"en": ("welding",), "zh": ("焊接",), "ru": ("сварка",)}),
        Concept("b", {"en": ("soldering",), "zh": ("焊锡",), "ru": ("сварки",)}),
    ]
    with pytest.raises(GlossaryError, match="сварки"):
        Glossary(concepts)
    with pytest.raises(GlossaryError, match="no term"):
        Glossary([Concept("c", {"en": ("x",), "zh": ("乙",)})])


def test_malformed_files_are_refused(tmp_path: Path) -> None:
    bad_header = tmp_path / "a.tsv"
    bad_header.write_text("id\ten\tzh\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="header"):
        Glossary.from_tsv(bad_header)
    short_line = tmp_path / "b.tsv"
    short_line.write_text("concept\ten\tzh\tru\n# comment\n\nx\tweld\t焊\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=":4:"):
        Glossary.from_tsv(short_line)


def test_data_file_ships_with_the_package_and_loads_fast() -> None:
    packaged = resources.files("matching") / "data" / "skills.tsv"
    assert packaged.is_file()
    assert Path(str(packaged)) == DEFAULT_PATH
    Glossary.from_tsv(DEFAULT_PATH)  # stemmers and OpenCC warm
    start = time.perf_counter()
    Glossary.from_tsv(DEFAULT_PATH)
    assert time.perf_counter() - start < 0.5
