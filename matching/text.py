"""Text handling for zh, ru and en: language detection, normalisation, splitting, tokenizers,
and the language-independent cues (numbers with units, codes, names) used across languages.

Everything here is a pure function of its input; the heavy resources (jieba's dictionary,
OpenCC tables, Snowball stemmers) load lazily, once per process (stemmers once per thread,
since Snowball stemmer objects keep state between calls).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, NamedTuple

from matching.types import Language

# --- language detection ----------------------------------------------------------------------

Detection = Literal["ok", "empty", "unsupported-script", "unsupported-latin"]


class LanguageGuess(NamedTuple):
    language: Language | None
    status: Detection  # why `language` is None, or "ok"


def _script(cp: int) -> str:
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return "han"
    if 0x20000 <= cp <= 0x2FA1F:
        return "han"
    if 0x0400 <= cp <= 0x052F:
        return "cyrillic"
    if cp < 0x80 or 0xC0 <= cp <= 0x24F or 0x1E00 <= cp <= 0x1EFF or 0xFF21 <= cp <= 0xFF5A:
        return "latin"
    if 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F:
        return "kana"
    return "other"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Distinctive function words of other Latin-script languages (none is an English word).
_OTHER_LATIN_STOPWORDS = _words(
    """
    der die und das ist nicht mit von sich auch ein eine dem des zum zur le les est une pour
    dans avec sont pas qui nous vous sur aux el los las por para una del como pero más il che
    della sono degli delle anche não uma os pelo pela também het een niet voor zijn och att
    som inte jest nie się oraz ve bir ile için
    """
)
_ENGLISH_STOPWORDS_FOR_DETECTION = _words(
    """
    the and of to in is for with on that by this are be as from an it or at which was we our
    can has have their its
    """
)
_ASCII_WORD = re.compile(r"[a-zà-ÿ]+")
_DETECT_CHARS = 5000  # the first few thousand characters decide; keeps long texts cheap


def guess_language(text: str) -> LanguageGuess:
    """zh / ru / en by script share, with the reason when the text is not one of them.

    Han characters count double (one carries about as much as two letters), so a Chinese text
    full of Latin acronyms stays Chinese. Japanese (any kana), Korean, Arabic and other scripts
    are "unsupported-script"; Latin text with the diacritics or function words of another
    European language is "unsupported-latin". Short Latin text defaults to English.
    """
    counts = {"han": 0, "cyrillic": 0, "latin": 0, "kana": 0, "other": 0}
    for ch in text[:_DETECT_CHARS]:
        if ch.isalpha():
            counts[_script(ord(ch))] += 1
    weights = {
        "zh": 2 * counts["han"],
        "ru": counts["cyrillic"],
        "en": counts["latin"],
        "other": 2 * counts["kana"] + counts["other"],
    }
    total = sum(weights.values())
    if total == 0:
        return LanguageGuess(None, "empty")
    if counts["kana"] >= 2 or weights["other"] * 2 >= total:
        return LanguageGuess(None, "unsupported-script")
    best: Language = max(("zh", "ru", "en"), key=lambda lang: weights[lang])
    if best == "en" and _looks_like_other_latin(text[:_DETECT_CHARS]):
        return LanguageGuess(None, "unsupported-latin")
    return LanguageGuess(best, "ok")


def detect_language(text: str) -> Language | None:
    """zh, ru or en; None when the text is empty or in another language (see guess_language)."""
    return guess_language(text).language


def _looks_like_other_latin(text: str) -> bool:
    lower = text.lower()
    letters = [c for c in lower if c.isalpha() and _script(ord(c)) == "latin"]
    accented = sum(1 for c in letters if ord(c) >= 0x80)
    if accented >= 3 and accented > 0.03 * len(letters):
        return True
    words = _ASCII_WORD.findall(lower)
    other = sum(1 for w in words if w in _OTHER_LATIN_STOPWORDS)
    english = sum(1 for w in words if w in _ENGLISH_STOPWORDS_FOR_DETECTION)
    return other >= 2 and other > english


# --- normalisation ---------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.cache
def _opencc() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@functools.cache
def _traditional() -> re.Pattern[str]:
    """Any character OpenCC t2s would change: the characters its TSCharacters table maps to
    something else, and those that differ inside its TSPhrases entries (瞭, 藉, 覆 ...). A text
    with none of them comes out of t2s unchanged, so it can skip the converter."""
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"
    chars: set[str] = set()
    for name in ("TSCharacters.txt", "TSPhrases.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            value = values.split()[0] if values.split() else key
            if len(key) == 1:
                if value != key:
                    chars.add(key)
            elif len(value) == len(key):
                chars.update(k for k, v in zip(key, value, strict=True) if k != v)
            elif value != key:
                chars.update(key)
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


@functools.lru_cache(maxsize=1024)
def to_simplified(text: str) -> str:
    """Fold Traditional Chinese characters to Simplified (OpenCC t2s); other text unchanged."""
    if not _HAN.search(text) or not _traditional().search(text):
        return text
    return str(_opencc().convert(text))


def normalize(text: str) -> str:
    """NFKC (full-width forms, ℃, ² ...), Traditional→Simplified, collapsed spaces, lowercase."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return re.sub(r"[ \t\u00a0\u202f]+", " ", text).strip().lower()


def prepare_for_embedding(text: str) -> str:
    """What the embedder sees: Simplified Chinese and tidy whitespace, otherwise as written."""
    return re.sub(r"\s+", " ", to_simplified(text)).strip()


# --- sentence and passage splitting ----------------------------------------------------------

_ZH_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])[”’」』）)]*")
# A full stop ends a sentence unless it follows an abbreviation or an initial.
_LATIN_CYR_SENTENCE_END = re.compile(r"(?<=[.!?;…])[\"»”')]*\s+(?=[\"«“(\[]?[A-ZА-ЯЁ0-9])")
_ABBREVIATIONS = _words(
    """
    т.е т.д т.п т.к т.н др пр см рис табл им ул г гг стр ок обл р-н e.g i.e etc vs fig no mr
    mrs ms dr prof inc ltd co st approx al ср руб тыс млн млрд
    """
)


def split_sentences(text: str, language: Language) -> list[str]:
    """Sentences in reading order; newlines always end one."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.extend(_split_line(line, language))
    return out


def _split_line(line: str, language: Language) -> list[str]:
    if language == "zh":
        parts = _cut(line, _ZH_SENTENCE_END)
        # Chinese texts also use Latin punctuation followed by a space.
        return [p for part in parts for p in _cut_latin(part)]
    return _cut_latin(line)


def _cut(line: str, pattern: re.Pattern[str]) -> list[str]:
    parts, start = [], 0
    for m in pattern.finditer(line):
        end = m.end()
        if line[start:end].strip():
            parts.append(line[start:end].strip())
        start = end
    if line[start:].strip():
        parts.append(line[start:].strip())
    return parts


def _cut_latin(line: str) -> list[str]:
    parts, start = [], 0
    for m in _LATIN_CYR_SENTENCE_END.finditer(line):
        before = line[start : m.start()]
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        token = last_word.rstrip(".").lower().lstrip('(«"')
        if before.endswith(".") and (token in _ABBREVIATIONS or len(token) == 1):
            continue  # "т.е.", "e.g.", "А. С. Пушкин"
        if before.strip():
            parts.append(before.strip())
        start = m.end()
    if line[start:].strip():
        parts.append(line[start:].strip())
    return parts


# The longest passage, in characters: about a long sentence or a short paragraph.
PASSAGE_MAX_CHARS: dict[Language, int] = {"zh": 160, "ru": 400, "en": 400}


def split_passages(
    text: str, language: Language, *, min_chars: int | None = None, max_chars: int | None = None
) -> list[str]:
    """Sentences, with fragments too short to embed on their own merged into a neighbour and
    overlong ones cut at commas, so each passage is a unit a reader can check."""
    lo = min_chars if min_chars is not None else (6 if language == "zh" else 20)
    hi = max_chars if max_chars is not None else PASSAGE_MAX_CHARS[language]
    merged: list[str] = []
    carry = ""
    for sentence in split_sentences(text, language):
        piece = f"{carry} {sentence}".strip() if carry and language != "zh" else carry + sentence
        if len(piece) < lo:
            carry = piece
            continue
        carry = ""
        merged.extend(_cut_long(piece, hi))
    if carry:
        if merged and len(merged[-1]) + len(carry) <= hi:
            merged[-1] = merged[-1] + ("" if language == "zh" else " ") + carry
        else:
            merged.append(carry)
    return merged


_CLAUSE_END = re.compile(r"(?<=[,，、:：])")  # split after, keeping the text intact


def _cut_long(passage: str, limit: int) -> list[str]:
    if len(passage) <= limit:
        return [passage]
    out: list[str] = []
    current = ""
    for clause in _CLAUSE_END.split(passage):
        if current and len(current) + len(clause) > limit:
            out.append(current.strip())
            current = ""
        current += clause
        while len(current) > limit:  # no comma to cut at: cut hard
            out.append(current[:limit].strip())
            current = current[limit:]
    if current.strip():
        out.append(current.strip())
    return out


# --- tokenizers ------------------------------------------------------------------------------


class Term(NamedTuple):
    key: str  # what is compared: a stem (ru, en) or a word (zh), lowercase
    surface: str  # the word as written, for explanations


Tokenizer = Callable[[str], list[str]]

_EN_STOPWORDS = _words(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each etc few for
    from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not of off on once only or other our ours out over own
    same she should so some such than that the their theirs them then there these they this
    those through to too under until up very via was we were what when where which while who
    whom why will with within without would you your yours e.g i.e per may must shall using
    used use based new well one two three
    """
)
_RU_STOPWORDS = _words(
    """
    а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
    для до его ее её если есть еще ещё же за здесь и из или им их к как какой когда который
    которая которое которые кто ли либо между мы на над не нет него нее неё ни них но о об
    однако он она они оно от по под при с со так также такой там те тем то того тоже той
    только том ту у уже чем что чтобы эта эти это этого этой этом этот я а также т.е т.д др
    является являются может могут можно будет будут свой своих своей свои а
    """
)
_ZH_STOPWORDS = _words(
    """
    的 了 和 是 在 与 及 等 对 为 中 将 可 以 其 该 并 于 上 由 从 被
    把 也 都 而 或 个 之 所 这 那 有 用 到 使 我们 他们 以及 进行 通过
    可以 具有 一种 一个 主要 相关 其中 如 下 后 前 不 还 但 能 已 就 又 向
    给 让 很 更 最 各 每 此 这些 那些 这种 我 你 他 她 它 自 至 即 则 因
    因此 所以 如果 因为 同时 以上 以下 方面 包括 用于 采用 实现 提供 达到
    """
)
STOPWORDS: dict[Language, frozenset[str]] = {
    "en": _EN_STOPWORDS,
    "ru": _RU_STOPWORDS,
    "zh": _ZH_STOPWORDS,
}

_WORD = re.compile(r"[0-9a-zа-яё]+(?:[-'’][0-9a-zа-яё]+)*")
_HAS_WORD_CHAR = re.compile(r"[0-9a-zа-яё\u3400-\u9fff]")

_jieba_lock = threading.Lock()
_jieba_ready = False
_stemmers = threading.local()


def _jieba() -> Any:
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)  # it prints "Building prefix dict..." otherwise
                jieba.initialize()
                _jieba_ready = True
    return jieba


@functools.cache
def _zh_word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tags (ns place, nr person, nt organisation ...)."""
    _jieba()
    import jieba.posseg

    jieba.posseg.dt.initialize()
    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab
    return tags


def _stemmer(language: Literal["ru", "en"]) -> Any:
    cache: dict[str, Any] | None = getattr(_stemmers, "cache", None)
    if cache is None:
        cache = _stemmers.cache = {}
    if language not in cache:
        import snowballstemmer

        cache[language] = snowballstemmer.stemmer("russian" if language == "ru" else "english")
    return cache[language]


@functools.lru_cache(maxsize=200_000)
def stem(word: str, language: Literal["ru", "en"]) -> str:
    """Snowball stem of a lowercase word; Latin words in Russian text get the English stemmer."""
    if language == "ru" and not re.search("[а-яё]", word):
        language = "en"
    return str(_stemmer(language).stemWord(word))


# jieba's own patterns: the Han range it segments with its dictionary, and how it splits a run
# of other characters it has no word for (802.11n → 802.11 | n; 1995-96 → 1995 | - | 96).
_JIEBA_HAN = re.compile("[\u4e00-\u9fd5]")
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


@functools.cache
def _rjieba() -> Any:
    try:
        import rjieba
    except ImportError:  # a platform without its wheel: jieba alone, slower, same words
        return None
    return rjieba


@functools.lru_cache(maxsize=512)
def _zh_cut(text: str) -> tuple[str, ...]:
    """jieba.lcut, remembered: keywords and names segment the same normalised text.

    Computed by jieba-rs (rjieba: jieba's dictionary and HMM in Rust, ~9× faster), which keeps
    runs like 802.11n or 1995-96 whole; those are split again the way jieba splits them, unless
    jieba's dictionary has the run as a word (c++). Identical to jieba.lcut on all 14,891
    Chinese lines of ../shared/benchmarks (tests/matching/test_text.py checks it)."""
    jieba = _jieba()
    fast = _rjieba()
    if fast is None:
        return tuple(jieba.lcut(text))
    freq = jieba.dt.FREQ
    words: list[str] = []
    for word in fast.cut(text):
        if len(word) > 1 and not _JIEBA_HAN.search(word) and not freq.get(word):
            words.extend(part for part in _JIEBA_SKIP.split(word) if part)
        else:
            words.append(word)
    return tuple(words)


def zh_words(text: str, *, for_search: bool = True) -> list[str]:
    """jieba segmentation; `for_search` adds the shorter words inside long ones
    (哈尔滨工业大学 → 哈尔滨, 工业, 大学, 哈尔滨工业大学), which suits keyword matching.
    That is jieba's cut_for_search, computed from the (cached) plain cut."""
    words = _zh_cut(text)
    if not for_search:
        return list(words)
    freq = _jieba().dt.FREQ
    out: list[str] = []
    for w in words:
        if len(w) > 2:
            out.extend(w[i : i + 2] for i in range(len(w) - 1) if freq.get(w[i : i + 2]))
        if len(w) > 3:
            out.extend(w[i : i + 3] for i in range(len(w) - 2) if freq.get(w[i : i + 3]))
        out.append(w)
    return out


def analyze(text: str, language: Language) -> list[Term]:
    """Keyword terms of a text: normalised, stop words removed, stemmed (ru, en) or segmented (zh).

    Latin words inside Chinese or Russian text are kept (lowercased, English-stemmed): they are
    usually technical terms (PLC, IoT, Python).
    """
    norm = normalize(text)
    if language == "zh":
        terms = []
        for word in zh_words(norm):
            word = word.strip()
            if not word or not _HAS_WORD_CHAR.search(word) or word in _ZH_STOPWORDS:
                continue
            if _HAN.search(word):
                terms.append(Term(word, word))
            else:
                for w in _WORD.findall(word):
                    if len(w) > 1 and w not in _EN_STOPWORDS:
                        terms.append(Term(stem(w, "en"), w))
        return terms
    stops = STOPWORDS[language]
    out = []
    for w in _WORD.findall(norm.replace("ё", "е")):
        w = re.sub(r"['’]s$", "", w)
        if len(w) < 2 or w in stops or w.isdigit():
            continue
        out.append(Term(stem(w, language), w))
    return out


def tokenize(text: str, language: Language) -> list[str]:
    """The default keyword tokenizer: the keys of `analyze`."""
    return [t.key for t in analyze(text, language)]


def tokenizer_for(language: Language) -> Tokenizer:
    """A one-argument tokenizer for one language, to inject into a lexical index."""
    return functools.partial(tokenize, language=language)


# --- numbers and measures ----------------------------------------------------------------------


class Mention(NamedTuple):
    key: str  # language-independent form, e.g. "5 mw", "iso 9001", "name:hlbn"
    surface: str  # as written in the text


# canonical unit -> variants as written (matched case-insensitively unless listed in _CASED)
_UNITS: dict[str, tuple[str, ...]] = {
    "%": ("%", "процентов", "процента", "процент", "percent", "per cent"),
    "gw": ("gw", "гвт", "吉瓦", "千兆瓦"),
    "mw": ("mw", "мвт", "兆瓦"),
    "kw": ("kw", "квт", "千瓦"),
    "w": ("w", "вт", "瓦"),
    "kwh": ("kwh", "kw·h", "kw h", "квт·ч", "квт*ч", "квт ч", "квтч", "千瓦时", "千瓦·时"),
    "mwh": ("mwh", "мвт·ч", "мвтч", "兆瓦时"),
    "kv": ("kv", "кв", "千伏"),
    "v": ("V", "В", "伏"),
    "a": ("A", "ампер", "安培"),
    "mm": ("mm", "мм", "毫米"),
    "cm": ("cm", "см", "厘米"),
    "km": ("km", "км", "公里", "千米"),
    "nm": ("nm", "нм", "纳米"),
    "um": ("µm", "μm", "um", "мкм", "微米"),
    "m2": ("m2", "м2", "кв. м", "кв.м", "平方米"),
    "m3": ("m3", "м3", "куб. м", "куб.м", "立方米"),
    "m": ("m", "м", "米", "метров", "метра", "meters", "metres"),
    "kg": ("kg", "кг", "公斤", "千克"),
    "mg": ("mg", "мг", "毫克"),
    "t": ("t", "т", "тонн", "тонны", "тонна", "tons", "tonnes", "ton", "tonne", "吨"),
    "l": ("l", "л", "литров", "литра", "liters", "litres", "升"),
    "°c": ("°c", "°с", "℃", "градусов цельсия", "摄氏度"),
    "°": ("°", "градусов", "градуса", "degrees"),
    "h": ("h", "ч", "часов", "часа", "hours", "hour", "小时"),
    "min": ("min", "мин", "minutes", "минут", "分钟"),
    "s": ("sec", "сек", "seconds", "секунд", "秒"),
    "ghz": ("ghz", "ггц", "吉赫", "千兆赫"),
    "mhz": ("mhz", "мгц", "兆赫"),
    "khz": ("khz", "кгц", "千赫"),
    "hz": ("hz", "гц", "赫兹"),
    "mpa": ("mpa", "мпа", "兆帕"),
    "kpa": ("kpa", "кпа", "千帕"),
    "pa": ("pa", "па", "帕"),
    "bar": ("bar", "бар"),
    "rpm": ("rpm", "об/мин", "转/分", "转每分"),
    "tb": ("tb", "тб"),
    "gb": ("gb", "гб"),
    "mb": ("mb", "мб"),
    "yr": ("years", "year", "лет", "года", "год", "年"),
    "usd": ("usd", "долларов", "долл", "dollars", "美元"),
    "rub": ("rub", "руб", "рублей", "рубля", "₽"),
    "cny": ("cny", "rmb", "юаней", "юаня", "yuan", "元"),
    "eur": ("eur", "евро", "€", "欧元"),
}
_CASED = frozenset({"V", "В", "A"})  # lowercase "в", "а" are Russian words
_MULTIPLIERS: dict[str, float] = {
    "тыс.": 1e3,
    "тыс": 1e3,
    "thousand": 1e3,
    "千": 1e3,
    "万": 1e4,
    "млн": 1e6,
    "million": 1e6,
    "百万": 1e6,
    "млрд": 1e9,
    "billion": 1e9,
    "bn": 1e9,
    "亿": 1e8,
}


def _alternation(variants: list[str]) -> str:
    return "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))


_UNIT_OF: dict[str, str] = {}
for _canon, _variants in _UNITS.items():
    for _v in _variants:
        _UNIT_OF[_v if _v in _CASED else _v.lower()] = _canon

_NUMBER = re.compile(
    r"(?<![0-9A-Za-zА-Яа-яЁё])(?<![0-9][.,])"
    r"(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](?P<frac>\d+))?"
    r"(?:\s?(?P<mult>" + _alternation(list(_MULTIPLIERS)) + r")(?![a-zа-яё]))?"
    r"(?:\s?(?P<unit>" + _alternation(list(_UNIT_OF)) + r")(?![a-zа-яёA-ZА-ЯЁ0-9]))?",
    re.IGNORECASE,
)


def extract_numbers(text: str, language: Language) -> list[Mention]:
    """Numbers with their unit, normalised across languages: "5 МВт", "5MW", "5兆瓦" → "5 mw";
    "1,5 тыс. т" → "1500 t"; "98 %" → "98%". Plain numbers below 10 (list items, counts)
    are left out; 4-digit years stay as plain numbers ("2025年" → "2025")."""
    text = unicodedata.normalize("NFKC", text).replace("\u00b2", "2").replace("\u00b3", "3")
    out: list[Mention] = []
    for m in _NUMBER.finditer(text):
        whole, frac = m.group("int"), m.group("frac")
        whole = re.sub(r"[ \u00a0\u202f]", "", whole)
        if frac is not None and "," in m.group(0) and len(frac) == 3 and language != "ru":
            whole, frac = whole + frac, None  # "10,000" is ten thousand outside Russian
        value = float(f"{whole}.{frac}" if frac else whole)
        mult = m.group("mult")
        if mult:
            value *= _MULTIPLIERS.get(mult.lower(), _MULTIPLIERS.get(mult, 1.0))
        unit_text = m.group("unit")
        unit = None
        if unit_text is not None:
            unit = _UNIT_OF.get(unit_text) or _UNIT_OF.get(unit_text.lower())
            if unit_text not in _CASED and unit_text.lower() not in _UNIT_OF:
                unit = None  # a cased-only unit matched case-insensitively ("в", "а")
        number = _format_number(value)
        if unit == "yr" and not frac and _is_year(value, unit_text or ""):
            unit = None  # "2025年", "1759 年", "2025 год": a date, not a duration
        if unit is None:
            if value < 10 and not frac:
                continue
            key = number
            surface = m.group(0) if not unit_text else m.group(0)[: m.start("unit") - m.start()]
        else:
            key = f"{number}%" if unit == "%" else f"{number} {unit}"
            surface = m.group(0)
        out.append(Mention(key, surface.strip()))
    return out


def _is_year(value: float, unit_text: str) -> bool:
    """A calendar year: 1000-2100 written with 年/год/года (not лет, years), or 19xx/20xx."""
    if 1900 <= value <= 2099:
        return True
    return 1000 <= value <= 2100 and unit_text.lower() in ("年", "год", "года", "year")


def _format_number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6g}"


# --- codes and Latin terms --------------------------------------------------------------------

_LATIN_FOR_CYRILLIC = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya"
_CYR_TO_LAT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        _LATIN_FOR_CYRILLIC.split(),
        strict=True,
    )
)


def transliterate_cyrillic(text: str) -> str:
    """Russian Cyrillic → Latin (a simple scientific-style scheme), lowercase."""
    return "".join(_CYR_TO_LAT.get(c, c) for c in text.lower()).replace("_", "")


def pinyin(text: str) -> str:
    """Chinese → toneless pinyin, syllables joined ("哈尔滨" → "haerbin")."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


# Standards: ISO 9001, ГОСТ Р 51321.1, GB/T 19001, IEC 61850 ...
_STANDARD = re.compile(
    r"(?<![A-Za-zА-Яа-яЁё])(ISO|IEC|ГОСТ|GOST|GB/T|GB|ASTM|DIN|EN|IEEE|ANSI|JIS|ТУ|СНиП|СП|API|SAE|UL)"
    r"(?:[ \u00a0]?(Р|R|/T))?[ \u00a0-]?(\d+(?:[.\-]\d+)*)(?::\d{4})?",
)
# A token with Latin letters: PLC, IoT, LiDAR, 5G, H2, CO2, Wi-Fi, R&D
_LATIN_TOKEN = re.compile(
    r"(?<![A-Za-z0-9&])(?<![0-9][.,])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:[-&+/][A-Za-z0-9]+)*"
)
_MEASURE_TOKEN = re.compile(r"\d+(?:[.,]\d+)?[A-Za-z]+")  # 5MW, 10kg, 8bn
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|s)", re.IGNORECASE)  # 60th, 1930s: numbers
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")  # AMs, TVs: the acronym
_CYR_ACRONYM = re.compile(r"(?<!\w)[А-ЯЁ]{2,6}(?!\w)")
# Acronyms whose usual form differs between the languages -> one shared key.
_ACRONYMS: dict[str, str] = {
    "спг": "lng",
    "液化天然气": "lng",
    "ии": "ai",
    "人工智能": "ai",
    "чпу": "cnc",
    "数控": "cnc",
    "плк": "plc",
    "可编程逻辑控制器": "plc",
    "бпла": "uav",
    "无人机": "uav",
    "物联网": "iot",
    "ниокр": "r&d",
    "研发": "r&d",
    "аэс": "npp",
    "核电站": "npp",
    "ит": "it",
    "гост": "gost",
    "вим": "bim",
    "сапр": "cad",
    "ерр": "erp",
}
_ZH_ACRONYM = re.compile("|".join(k for k in _ACRONYMS if _HAN.search(k)))
_COMMON_LATIN_WORDS = _EN_STOPWORDS | frozenset({"and", "or", "the"})


def extract_codes(text: str, language: Language) -> list[Mention]:
    """Standards and Latin technical tokens (ISO 9001, GOST, LNG, 5G, IoT), keyed so that the
    same code matches across languages (ГОСТ Р 51321 ↔ GOST R 51321, СПГ ↔ LNG ↔ 液化天然气).

    In English text only tokens that look like codes count (capitals inside the word or digits:
    LNG, IoT, 5G); in Chinese and Russian text every Latin word is a code-like cue.
    """
    text = unicodedata.normalize("NFKC", text)
    out: list[Mention] = []
    covered: list[tuple[int, int]] = []
    for m in _STANDARD.finditer(text):
        prefix = (
            transliterate_cyrillic(m.group(1)) if re.search("[А-Я]", m.group(1)) else m.group(1)
        )
        modifier = {"р": " r", "r": " r", "/t": "/t"}.get((m.group(2) or "").lower(), "")
        number = re.sub(r"-(19|20)\d\d$", "", m.group(3))  # ГОСТ ...-2007: the edition year
        out.append(Mention(f"{prefix.lower()}{modifier} {number}", m.group(0)))
        covered.append(m.span())

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in covered)

    for m in _LATIN_TOKEN.finditer(text):
        token = m.group(0)
        if language == "en" and token.isalpha() and (token.islower() or token[1:].islower()):
            continue  # an ordinary word ("the", "Harbin"): never code-like, the common case
        if not free(m.span()):
            continue
        if token[0].isdigit() and _MEASURE_TOKEN.fullmatch(token):
            suffix = token.lstrip("0123456789.,")
            if _is_unit(suffix) or suffix.lower() in _MULTIPLIERS:
                continue  # "5MW", "10kg", "8bn": a measure or a number, not a code
        if _ORDINAL.fullmatch(token):
            continue
        if _PLURAL_ACRONYM.fullmatch(token):
            token = token[:-1]
        if language == "en":
            if not _looks_like_code(token):
                continue
        elif len(token) < 2 or token.lower() in _COMMON_LATIN_WORDS:
            continue
        out.append(Mention(token.lower(), token))
    if language == "ru":
        for m in _CYR_ACRONYM.finditer(text):
            if not free(m.span()):
                continue
            word = m.group(0).lower()
            out.append(Mention(_ACRONYMS.get(word, transliterate_cyrillic(word)), m.group(0)))
    if language == "zh":
        for m in _ZH_ACRONYM.finditer(to_simplified(text)):
            out.append(Mention(_ACRONYMS[m.group(0)], m.group(0)))
    return out


def _is_unit(text: str) -> bool:
    return text in _UNIT_OF or text.lower() in _UNIT_OF


def _looks_like_code(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    if any(c.isdigit() for c in token):
        return True
    upper = sum(1 for c in letters if c.isupper())
    return upper >= 2 or (upper >= 1 and not token[0].isupper())  # LNG, IoT, eVTOL


# --- names ---------------------------------------------------------------------------------------

# Places whose names are not transliterations of each other (GLOSSARY.md, "Places").
_GAZETTEER: dict[str, tuple[str, ...]] = {
    "beijing": ("beijing", "peking", "пекин", "北京"),
    "moscow": ("moscow", "москва", "москв", "莫斯科"),
    "st-petersburg": ("petersburg", "петербург", "圣彼得堡", "彼得堡"),
    "novosibirsk": ("novosibirsk", "новосибирск", "新西伯利亚"),
    "heilongjiang": ("heilongjiang", "хэйлунцзян", "黑龙江"),
    "shanghai": ("shanghai", "шанхай", "上海"),
    "vladivostok": ("vladivostok", "владивосток", "符拉迪沃斯托克", "海参崴"),
    "harbin": ("harbin", "харбин", "哈尔滨"),
    "khabarovsk": ("khabarovsk", "хабаровск", "哈巴罗夫斯克", "伯力"),
    "siberia": ("siberia", "сибир", "西伯利亚"),
    "far-east": ("far east", "дальн восток", "дальневосточн", "远东"),
}
_GAZETTEER_KEY = {v: k for k, vs in _GAZETTEER.items() for v in vs}
_ZH_GAZETTEER = tuple((v, k) for v, k in _GAZETTEER_KEY.items() if _HAN.search(v))
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt", "nz"})
_COUNTRIES = frozenset({"中国", "俄罗斯", "china", "russia", "россия", "китай", "рф", "кнр"})
# Case endings that end in a consonant (vowels vanish from the skeleton anyway): Хабаровском.
_RU_CASE_ENDING = re.compile(r"(?:ами|ями|ом|ем|ой|ей|ым|им|ах|ях|ую|юю)$")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-zа-яё]+(?![\w-])")
_CAPITALISED = re.compile(r"(?<![\w-])[A-ZА-ЯЁ][a-zа-яё]{2,}(?:-[A-ZА-ЯЁ][a-zа-яё]+)*")


_SKELETON_LETTERS = str.maketrans("rvw", "lff")  # Chinese has no r; v/w/f blur in transcription


def name_key(latin: str) -> str:
    """A consonant skeleton that survives transliteration between Russian, English and pinyin:
    Харбин (kharbin), Harbin and 哈尔滨 (haerbin) all give "hlbn"."""
    s = latin.lower()
    for a, b in (
        ("shch", "s"), ("chzh", "j"), ("sch", "s"), ("kh", "h"), ("zh", "j"), ("sh", "s"),
        ("ch", "c"), ("ts", "c"), ("tz", "c"), ("ph", "f"), ("ng", "n"),
        ("x", "s"), ("q", "c"), ("z", "c"),
    ):  # fmt: skip
        s = s.replace(a, b)
    s = s.translate(_SKELETON_LETTERS)
    s = re.sub(r"[^a-z]|[aeiouy]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def extract_names(text: str, language: Language) -> list[Mention]:
    """Proper names as cross-script keys ("name:" + consonant skeleton, or "place:" + a
    gazetteer entry). ru/en: capitalised words not opening a sentence; zh: words jieba's
    dictionary tags as names, places or organisations. Country names are left out: on a
    China–Russia platform nearly every text has them."""
    out: list[Mention] = []
    if language == "zh":
        tags = _zh_word_tags()
        simplified = to_simplified(text)
        gazetteer = [(v, k) for v, k in _ZH_GAZETTEER if v in simplified]
        # The cut of the normalised text, which `analyze` has just made (`_zh_cut` remembers
        # it); the tags concern Han words, which normalising leaves as they are.
        for word in zh_words(normalize(text), for_search=False):
            if len(word) < 2 or not _HAN.search(word) or word in _COUNTRIES:
                continue
            places = [k for v, k in gazetteer if v in word]
            if places:  # also 哈尔滨工业大学 -> Harbin
                out.extend(Mention("place:" + k, word) for k in places)
            elif tags.get(word) in _NAME_TAGS:
                key = name_key(pinyin(word))
                if len(key) >= 3:
                    out.append(Mention("name:" + key, word))
        return out
    lowercase_words = set(_LOWER_WORD.findall(text))
    for sentence in split_sentences(text, language):
        for i, m in enumerate(_CAPITALISED.finditer(sentence)):
            word = m.group(0)
            lower = word.lower()
            if lower in _COUNTRIES or lower in STOPWORDS[language]:
                continue
            base = stem(lower, language)
            place = _GAZETTEER_KEY.get(lower) or _GAZETTEER_KEY.get(base)
            if place:
                out.append(Mention("place:" + place, word))
                continue
            if (i == 0 and m.start() == 0) or lower in lowercase_words:
                continue  # a capital that only opens the sentence, or a word also written lowercase
            cyrillic = bool(re.search("[а-яё]", lower))
            latin = transliterate_cyrillic(_RU_CASE_ENDING.sub("", lower) if cyrillic else lower)
            key = name_key(latin)
            if len(key) >= 3:
                out.append(Mention("name:" + key, word))
    return out


def unique(mentions: list[Mention]) -> Iterator[Mention]:
    """First mention of each key, in order."""
    seen: set[str] = set()
    for m in mentions:
        if m.key not in seen:
            seen.add(m.key)
            yield m
