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

# 2020 census (第七次全国人口普查), sources in docs/calibration.md.
CITY_POPULATION_2020: int = int(_CITY["census_2020"]["population"])
FAMILY_HOUSEHOLD_SIZE_2020: float = float(_CITY["census_2020"]["family_household_size"])
# county code -> residents at the 2020 census
COUNTY_POPULATION_2020: dict[str, int] = {
    county["code"]: int(county["census_2020"]["population"]) for county in _CITY["counties"]
}
# county code -> average size of its family households (家庭户规模)
COUNTY_HOUSEHOLD_SIZE_2020: dict[str, float] = {
    county["code"]: float(county["census_2020"]["family_household_size"]) for county in _CITY["counties"]
}
# county code -> share of residents in each age band 0–4, 5–9, …, 80–84, 85+ (18 bands)
COUNTY_AGE_BANDS_2020: dict[str, tuple[float, ...]] = {
    county["code"]: tuple(float(x) for x in county["census_2020"]["age_bands"]) for county in _CITY["counties"]
}
AGE_BAND_STARTS: tuple[int, ...] = tuple(range(0, 90, 5))  # 0, 5, …, 85 (85+ is the last band)
