"""Assemble the ground-truth county: regions → households and people → traits → IDs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.rng import rng_for
from sandbox.world import traits
from sandbox.world.idnumbers import COUNTY_CODES, address_codes, build_id_numbers
from sandbox.world.names import draw_phones
from sandbox.world.people import birth_dates, build_members, origin_counties
from sandbox.world.record_ids import digit_strings, fixed_width_ids, str_array

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

PERSON_COLUMNS = [
    "person_id", "household_id", "name", "sex", "birth_date", "age", "id_number",
    "county_code", "township", "village", "village_code", "relation", "alive", "death_date",
    "death_registered_date", "disability_grade", "tekun", "public_employee", "cadre",
    "cadre_relative_of", "owns_vehicle", "owns_business", "migrant", "pension_insured",
    "orphan", "family_planning", "phone", "retired_staff", "farm_vehicle", "cremation_date",
    "insurance_ended_date", "renamed_to",
]
HOUSEHOLD_COLUMNS = [
    "household_id", "head_person_id", "county_code", "township", "village", "village_code",
    "size", "farmland_mu", "grain_mu", "forest_mu", "dibao", "income_per_person", "address",
    "rented_in_mu", "rented_from",
]
HOUSEHOLDS_PER_GROUP = 35  # a 村民小组 (组) has a few dozen households
SEXES = np.array(["女", "男"], dtype=object)  # by male: two str objects shared, not one per person


def date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of datetime64[D] dates as int64, by integer arithmetic on the day
    number (the proleptic Gregorian calendar in 400-year eras, H. Hinnant's civil_from_days)."""
    z = days.astype(np.int64) + 719468  # days since 0000-03-01
    era = z // 146097
    day_of_era = z - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)  # from 1 March
    shifted_month = (5 * day_of_year + 2) // 153  # 0 = March
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = np.where(shifted_month < 10, shifted_month + 3, shifted_month - 9)
    return year_of_era + era * 400 + (month <= 2), month, day


def whole_years(birth: np.ndarray, on: np.datetime64) -> np.ndarray:
    """Age in whole years on a date (birthdays counted exactly)."""
    year, month, day = date_parts(np.asarray(birth, dtype="datetime64[D]"))
    d = pd.Timestamp(on)
    before_birthday = (month > d.month) | ((month == d.month) & (day > d.day))
    return d.year - year - before_birthday.astype(np.int64)


def village_groups(n_households: int, households_per_village: int) -> np.ndarray:
    """村民小组 number (1, 2, …) of each household: consecutive households share a group."""
    groups = max(1, -(-households_per_village // HOUSEHOLDS_PER_GROUP))
    return 1 + (np.arange(n_households) % households_per_village) * groups // households_per_village


class _Draws:
    """Per-purpose generators for one scenario seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __call__(self, purpose: str) -> np.random.Generator:
        return rng_for(self.seed, "world", purpose)


def build_people(scenario: Scenario, regions: pd.DataFrame, namesakes: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(persons, households, extras) — extras carries what registries need beyond the contract."""
    rng = _Draws(scenario.seed)
    pop = scenario.population
    m = build_members(scenario, namesakes, rng("households"))
    n = len(m["household"])
    hpv = scenario.region.households_per_village
    village_index = m["household"] // hpv
    n_households = len(regions) * hpv

    birth = birth_dates(m["age_years"], scenario.calendar.period_start)
    age = whole_years(birth, np.datetime64(scenario.calendar.period_start, "D"))
    death, registered = traits.draw_deaths(rng("deaths"), scenario, age, birth)
    death, registered = traits.ensure_deaths(rng("death_floor"), scenario, village_index, age, birth, death, registered)
    cal = scenario.calendar
    registered_late = traits.draw_late_registrations(rng("late_registration"), death, registered,
                                                     cal.period_start, cal.as_of, pop.late_registration_share)
    registered_late = traits.ensure_late_registrations(rng("late_registration_floor"), village_index, age, death,
                                                       registered, registered_late, cal.period_start, cal.as_of)
    late = registered_late != registered
    registered = registered_late
    cremation, insurance_ended = traits.draw_death_traces(rng("death_traces"), death, late)
    alive = np.isnat(death)
    working_age = (age >= 16) & (age <= 59)
    migrant = working_age & alive & (rng("migrants").random(n) < pop.migrant_share)
    grade = traits.draw_disability(rng("disability"), pop.disability_share, age)

    size = np.bincount(m["household"], minlength=n_households)
    alone = size[m["household"]] == 1
    tekun = traits.draw_tekun(rng("tekun"), pop.tekun_share, age, grade > 0, alone, alive & ~migrant)
    tekun[traits.top_up_per_group(rng("tekun_floor"), village_index, tekun,
                                  traits.tekun_weights(age, grade > 0, alone, alive & ~migrant), traits.MIN_TEKUN)] = True

    employee_weight = ((age >= 22) & (age <= 59) & alive & ~tekun & ~migrant).astype(float)
    public_employee = traits.mask_of(
        traits.pick_weighted(rng("public_employees"), employee_weight, round(pop.public_employee_share * n)), n)

    cadre_weight = ((age >= 28) & (age <= 68) & alive & ~tekun & ~migrant & ~public_employee) * np.where(m["male"], 3.0, 1.0)
    cadres = traits.top_k_per_group(rng("cadres"), village_index, cadre_weight, pop.cadres_per_village)
    cadre = traits.mask_of(cadres, n)
    relative_eligible = (age >= 18) & alive & ~cadre & ~tekun
    relative_of = traits.draw_cadre_relatives(rng("cadre_relatives"), cadres, village_index, m["household"], relative_eligible, m["surname"])

    # 低保: households with elderly, disabled or lone members; never 特困 or payroll households
    hh = m["household"]
    tekun_hh = np.bincount(hh, tekun, n_households) > 0
    excluded = tekun_hh | (np.bincount(hh, public_employee | cadre, n_households) > 0)
    needy = (1.0 + 2.0 * (np.bincount(hh, grade > 0, n_households) > 0)
             + 2.0 * np.bincount(hh, age >= 60, n_households) / np.maximum(size, 1)
             + 2.0 * (np.bincount(hh, relative_of >= 0, n_households) > 0))  # 优亲厚友 raw material
    dibao_hh = traits.mask_of(traits.pick_weighted(
        rng("dibao"), np.where(excluded, 0.0, needy), round(pop.dibao_household_share * n_households)), n_households)
    poor = (dibao_hh | tekun_hh)[hh]

    asset_base = ((age >= 20) & (age <= 70) & alive & ~poor & ~tekun).astype(float)
    # Cadres' relatives are often the better-off families: the raw material of 优亲厚友.
    well_connected = 10.0 * (relative_of >= 0)
    vehicle_weight = asset_base * (1.0 + 2.0 * public_employee + cadre + 0.5 * migrant + ((age >= 25) & (age <= 55))
                                   + well_connected)
    owns_vehicle = traits.mask_of(traits.pick_weighted(
        rng("vehicles"), vehicle_weight, round(pop.vehicle_share * n_households)), n)
    business_weight = asset_base * ~public_employee * (1.0 + cadre + ((age >= 25) & (age <= 55)) + well_connected)
    owns_business = traits.mask_of(traits.pick_weighted(
        rng("businesses"), business_weight, round(pop.business_share * n_households)), n)
    # every village has a few better-off relatives of its cadres outside 低保: 优亲厚友's material
    owns_vehicle[traits.top_up_per_group(
        rng("relative_cars"), village_index, (owns_vehicle | owns_business) & (relative_of >= 0) & ~poor,
        asset_base * (relative_of >= 0) * ~public_employee, traits.MIN_WEALTHY_RELATIVES)] = True

    # raw material of grey cases: farm vehicles of poor households, retired staff, and the
    # cars or businesses some 低保 households of cadres' relatives hide (understated income)
    is_head = m["head_row"] == np.arange(n)
    farm_vehicle = traits.draw_farm_vehicles(rng("farm_vehicles"), is_head, dibao_hh[hh], relative_of >= 0, alive,
                                             pop.farm_vehicle_dibao_share)
    hidden_car, hidden_business = traits.draw_hidden_assets(rng("hidden_assets"), is_head, dibao_hh[hh],
                                                            relative_of >= 0, alive)
    owns_vehicle |= hidden_car
    owns_business |= hidden_business
    # a staff pension is income: retirees head no 低保 or 特困 household
    retired_staff = traits.draw_retired_staff(rng("retired_staff"), age, alive,
                                              public_employee | cadre | tekun | migrant | poor,
                                              pop.retired_staff_share, village_index)

    m["name"] = traits.draw_namesakes(rng("namesakes"), village_index, hh, m["name"], m["surname"], m["male"],
                                      age, alive)
    renamed_to = traits.draw_renames(rng("renames"), m["name"], m["surname"], age, alive, pop.renamed_share)

    flags = rng("benefit_flags")
    pension_insured = (age >= 16) & ~public_employee & (flags.random(n) < np.where(age >= 60, 0.95, 0.75))
    pension_insured &= ~retired_staff  # they draw a staff pension, not the residents' one
    # orphans: minors raised by grandparents (隔代家庭), rarely
    orphan = m["skip_generation"] & (m["slot"] > 1) & (age < 18) & (flags.random(n) < 0.06)
    family_planning = (age >= 60) & (m["slot"] <= 1) & (flags.random(n) < 0.05)

    adult_phone = draw_phones(rng("phones"), n)
    phone = digit_strings(np.where(age >= 16, adult_phone, adult_phone[m["head_row"]]), 11)
    id_number = _id_numbers(rng, regions, village_index, birth, m["married_in"], m["male"])

    person_id = fixed_width_ids("P", n, 7)
    household_id = fixed_width_ids("H", n_households, 6)
    # gathered as pandas str arrays: a million strings are not checked again
    region_cols = {c: regions[c].array.take(village_index) for c in ("county_code", "township", "village", "village_code")}
    persons = pd.DataFrame({
        "person_id": person_id,
        "household_id": household_id[hh],
        "name": m["name"],
        "sex": str_array(SEXES).take(m["male"].astype(np.intp)),
        "birth_date": birth.astype("datetime64[ns]"),
        "age": age.astype(np.int64),
        "id_number": id_number,
        **region_cols,
        "relation": m["relation"],
        "alive": alive,
        "death_date": death.astype("datetime64[ns]"),
        "death_registered_date": registered.astype("datetime64[ns]"),
        "disability_grade": grade,
        "tekun": tekun,
        "public_employee": public_employee,
        "cadre": cadre,
        "cadre_relative_of": np.where(relative_of >= 0, person_id[np.maximum(relative_of, 0)], ""),
        "owns_vehicle": owns_vehicle,
        "owns_business": owns_business,
        "migrant": migrant,
        "pension_insured": pension_insured,
        "orphan": orphan,
        "family_planning": family_planning,
        "phone": phone,
        "retired_staff": retired_staff,
        "farm_vehicle": farm_vehicle,
        "cremation_date": cremation.astype("datetime64[ns]"),
        "insurance_ended_date": insurance_ended.astype("datetime64[ns]"),
        "renamed_to": renamed_to,
    }, copy=False)[PERSON_COLUMNS]  # the arrays are fresh: no second copy of a million rows
    head_row = np.searchsorted(hh, np.arange(n_households))  # heads come first in each household
    households, lessor = _households(rng, scenario, regions, household_id, head_row, size, person_id, dibao_hh,
                                     tekun_hh)
    extras = {"surname": m["surname"], "cadre_index": cadres, "relative_of": relative_of,
              "household_head_row": head_row, "member_household_row": hh, "household_lessor_row": lessor}
    return persons, households, extras


def _id_numbers(rng: _Draws, regions: pd.DataFrame, village_index: np.ndarray, birth: np.ndarray,
                married_in: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Resident ID numbers: the address code of the county on the ID in force at birth, the
    birth date, an order code and the check character."""
    home = np.searchsorted(COUNTY_CODES, regions["county_code"].to_numpy().astype(str))[village_index]
    origin = origin_counties(rng("origins"), home, married_in)
    years, months, days = date_parts(birth)
    ymd = years * 10000 + months * 100 + days
    return build_id_numbers(rng("id_numbers"), address_codes(origin, years), ymd, male)


def _households(rng: _Draws, scenario: Scenario, regions: pd.DataFrame, household_ids: np.ndarray, head_row: np.ndarray,
                size: np.ndarray, person_id: np.ndarray, dibao: np.ndarray,
                tekun_hh: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """(households, each household's lessor as a row of households or -1)."""
    n_households = len(size)
    hpv = scenario.region.households_per_village
    village_index = np.arange(n_households) // hpv
    land = traits.draw_land(rng("land"), scenario.population.farmland_mu_per_person, size,
                            scenario.population.forest_household_share)
    land["grain_mu"], rented_in, lessor = traits.draw_land_transfers(
        rng("land_transfers"), land["farmland_mu"], land["grain_mu"], hpv, scenario.population.rented_in_share)
    group = village_groups(n_households, hpv)
    # one address string per (village, group), then gathered: far fewer string joins
    label_key = village_index * 1000 + group
    labels, which = np.unique(label_key, return_inverse=True)
    village_names = regions["village"].to_numpy()
    address = np.array([f"{village_names[k // 1000]}{k % 1000}组" for k in labels.tolist()], dtype=object)[which]
    households = pd.DataFrame({
        "household_id": household_ids,
        "head_person_id": person_id[head_row],
        **{c: regions[c].array.take(village_index) for c in ("county_code", "township", "village", "village_code")},
        "size": size.astype(np.int64),
        **land,
        "dibao": dibao,
        "income_per_person": traits.draw_incomes(rng("income"), dibao, tekun_hh),
        "address": address,
        "rented_in_mu": rented_in,
        "rented_from": np.where(lessor >= 0, household_ids[np.maximum(lessor, 0)], ""),
    }, copy=False)[HOUSEHOLD_COLUMNS]  # arrays of this function's own: no second copy
    return households, lessor
