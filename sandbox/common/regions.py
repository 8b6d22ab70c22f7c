"""The city the sandbox simulates, as data (common/data/zhoukou.yaml): its county-level units
and the address codes their residents' ID numbers carry by year of birth."""

from __future__ import annotations

from importlib.resources import files

import yaml

REGION_FILE = "zhoukou.yaml"


def _load(name: str) -> dict:
    return yaml.safe_load(files("sandbox.common").joinpath("data", name).read_text(encoding="utf-8"))


_CITY = _load(REGION_FILE)
CITY_NAME: str = _CITY["city"]
# county code in force since 2019 -> its name, in the file's order.
ZHOUKOU_COUNTIES: dict[str, str] = {county["code"]: county["name"] for county in _CITY["counties"]}
# county code in force since 2019 -> [(first birth year, address code)], latest last.
ADDRESS_CODE_ERAS: dict[str, list[tuple[int, str]]] = {
    county["code"]: [(int(year), str(code)) for year, code in county["address_codes"]]
    for county in _CITY["counties"]
}
