"""Fixtures for the matching library: the real default model (loads in about a second, once per
session) and a small trilingual corpus of technology offers and requests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest

from matching import DEFAULT_MODEL, Document, Embedder, Engine, get_embedder

T = TypeVar("T")


def _finishes_meanwhile(call: Callable[[], T], seconds: float = 10.0) -> T:
    result: list[T] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "it waited for the writer"
    return result[0]


@pytest.fixture
def finishes_meanwhile() -> Callable[..., object]:
    """finishes_meanwhile(call) runs call() in another thread, which must finish within
    10 s (while the test holds up a writer, say), and returns what it returned."""
    return _finishes_meanwhile


def doc(
    doc_id: str, language: str, title: str, summary: str, description: str = "", **attrs: str
) -> Document:
    return Document(
        id=doc_id,
        language=language,  # type: ignore[arg-type]
        fields={"title": title, "summary": summary, "description": description},
        attributes={k: frozenset(v.split(",")) for k, v in attrs.items()},
    )


CORPUS = [
    doc(
        "zh-wind",
        "zh",
        "5兆瓦风力发电机组控制系统",
        "哈尔滨工业大学开发了基于PLC的5兆瓦风力发电机组控制系统，符合GB/T 19001标准。",
        "该系统可在零下40℃的寒冷环境下稳定运行，发电效率提高15%。",
        kind="offer",
        sector="energy",
        country="CN",
    ),
    doc(
        "ru-wind-request",
        "ru",
        "Требуется система управления ветрогенератором",
        "Предприятию из Харбина нужна система управления ветроустановкой мощностью 5 МВт "
        "на базе ПЛК.",
        "Система должна работать при температуре до -40 °C.",
        kind="request",
        sector="energy",
        country="RU",
    ),
    doc(
        "ru-weld",
        "ru",
        "Автоматическая сварка трубопроводов",
        "Технология автоматической орбитальной сварки трубопроводов для терминалов СПГ.",
        "Разработана в Хабаровске, соответствует ГОСТ Р 52079.",
        kind="offer",
        sector="manufacturing",
        country="RU",
    ),
    doc(
        "zh-weld-request",
        "zh",
        "需要管道自动焊接技术",
        "我公司需要用于液化天然气接收站的管道自动焊接技术。",
        kind="request",
        sector="manufacturing",
        country="CN",
    ),
    doc(
        "en-led",
        "en",
        "LED lighting for greenhouses",
        "Energy-saving LED lighting system for greenhouses in cold climates.",
        "Reduces electricity use by 40% compared with sodium lamps.",
        kind="offer",
        sector="agriculture",
        country="KZ",
    ),
    doc(
        "zh-rice",
        "zh",
        "寒地水稻新品种选育技术",
        "东北农业大学培育出适合寒冷地区种植的早熟高产水稻品种。",
        kind="offer",
        sector="agriculture",
        country="CN",
    ),
    doc(
        "ru-rice-request",
        "ru",
        "Нужны сорта риса для холодного климата",
        "Агрохолдингу на Дальнем Востоке нужны раннеспелые высокоурожайные сорта риса.",
        kind="request",
        sector="agriculture",
        country="RU",
    ),
    doc(
        "ru-vision",
        "ru",
        "Система машинного зрения для контроля качества",
        "Система машинного зрения автоматически находит дефекты изделий на конвейере.",
        kind="offer",
        sector="it",
        country="RU",
    ),
    doc(
        "en-vision-request",
        "en",
        "Automated visual inspection of products",
        "We need a computer vision system that detects surface defects on a production line.",
        kind="request",
        sector="it",
        country="CN",
    ),
    doc(
        "en-battery",
        "en",
        "Lithium-ion battery recycling",
        "A hydrometallurgical process recovers 95% of lithium, cobalt and nickel from used "
        "batteries.",
        kind="offer",
        sector="energy",
        country="RU",
    ),
]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder(DEFAULT_MODEL)


@pytest.fixture
def make_engine(embedder: Embedder) -> Callable[..., Engine]:
    def make(docs: list[Document] | None = None, **options: object) -> Engine:
        engine = Engine(embedder, **options)  # type: ignore[arg-type]
        engine.upsert(CORPUS if docs is None else docs)
        return engine

    return make


@pytest.fixture
def engine(make_engine: Callable[..., Engine]) -> Engine:
    return make_engine()


@pytest.fixture
def corpus() -> list[Document]:
    return list(CORPUS)
