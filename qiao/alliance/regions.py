"""Provinces and regions members may belong to: the ones qiao.core.places names in China and
Russia, by ISO 3166-2 code."""

from __future__ import annotations

from qiao.core.places import CHINA, RUSSIA

ALL = CHINA + RUSSIA
BY_CODE = {region.code: region for region in ALL}


def region_choices() -> list[tuple[str, str]]:
    """(code, name in the active UI language), China first; call per request, not at import."""
    return [(region.code, region.display_name()) for region in ALL]


def region_name(code: str) -> str:
    region = BY_CODE.get(code)
    return region.display_name() if region else code
