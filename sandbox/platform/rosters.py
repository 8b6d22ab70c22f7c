"""Village rosters (补贴对象名册) as village staff typed them, with planted irregularities,
and the answer key that says what each planted entry is. Only the platform holds the key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sandbox.rng import rng_for
from sandbox.scenario import Scenario
from sandbox.world.homophones import misspell

ROSTER_COLUMNS = [
    "entry_id", "village", "name", "id_number", "program", "quantity", "amount", "bank",
    "account_number",
]
# What the village's paper form calls each column (the files trainees open).
ROSTER_HEADERS_ZH = {
    "entry_id": "序号", "village": "村", "name": "姓名", "id_number": "身份证号",
    "program": "补贴项目", "quantity": "数量", "amount": "金额", "bank": "开户行",
    "account_number": "卡号",
}
MEANS_TESTED = ("dibao", "tekun", "disabled_living")
PROXY_GROUP = 4  # payees whose money one cadre's card collects
PER_MU = ("farmland_fertility", "grain_growers", "ecological_forest")
KEY_COLUMNS = [
    "entry_id", "person_id", "program", "fault", "look_alike", "claimed_amount", "true_amount",
    "money_at_stake", "fix_field", "fix_value", "evidence_registry", "evidence_zh", "evidence_en",
    "blatant", "vulnerable", "duplicate_of", "true_name", "true_id_number",
    "true_account_number", "true_quantity",
]


@dataclass(frozen=True)
class CollectionData:
    """Rosters as typed (strings, per village and combined) and the answer key."""

    typed: pd.DataFrame          # ROSTER_COLUMNS, strings exactly as typed
    village_files: dict[str, pd.DataFrame]  # Chinese headers; one village in its own column order
    truth: pd.DataFrame          # the same entries with true, clean values (platform only)
    key: pd.DataFrame            # KEY_COLUMNS, one row per entry (platform only)


def _payee_table(world, entitlements: pd.DataFrame) -> pd.DataFrame:
    persons = world.persons.set_index("person_id")
    primary = world.accounts[world.accounts["primary"]].drop_duplicates("person_id").set_index("person_id")
    payee = entitlements["payee_person_id"]
    table = pd.DataFrame(
        {
            "person_id": entitlements["person_id"].to_numpy(),
            "payee_person_id": payee.to_numpy(),
            "household_id": entitlements["household_id"].to_numpy(),
            "program": entitlements["program"].to_numpy(),
            "quantity": entitlements["quantity"].astype(float).to_numpy(),
            "amount": entitlements["amount"].astype(float).round(2).to_numpy(),
            "village": persons.loc[payee, "village"].to_numpy(),
            "name": persons.loc[payee, "name"].to_numpy(),
            "id_number": persons.loc[payee, "id_number"].to_numpy(),
            "bank": primary.loc[payee, "bank"].to_numpy(),
            "account_number": primary.loc[payee, "account_number"].to_numpy(),
        }
    )
    return table


def _typical_amount(base: pd.DataFrame, program: str) -> float | None:
    amounts = base.loc[base["program"] == program, "amount"]
    return None if amounts.empty else float(amounts.mode().iloc[0])


def _count(rate: float, n: int) -> int:
    return 0 if rate <= 0 else max(1, int(round(rate * n)))


class _Planter:
    """Plants irregularities into a table of true entries and writes the answer key."""

    def __init__(self, world, scenario: Scenario, base: pd.DataFrame) -> None:
        self.world = world
        self.scenario = scenario
        self.rng = rng_for(scenario.seed, "collection", "plant")
        self.base = base
        self.rows: list[dict] = []   # entries as finally typed (before messy typing)
        self.key: list[dict] = []
        self.persons = world.persons.set_index("person_id")
        primary = world.accounts[world.accounts["primary"]].drop_duplicates("person_id")
        self.primary = primary.set_index("person_id")
        self.households = world.households.set_index("household_id")
        self.dibao_members = set(world.households.loc[world.households["dibao"], "household_id"])

    # --- helpers ------------------------------------------------------------------------
    def _key_row(self, entry: dict, fault: str = "", **extra) -> dict:
        key = {
            "entry_id": entry["entry_id"], "person_id": entry["person_id"],
            "program": entry["program"], "fault": fault, "look_alike": "",
            "claimed_amount": entry["amount"], "true_amount": entry["amount"],
            "money_at_stake": 0.0, "fix_field": "", "fix_value": "",
            "evidence_registry": "", "evidence_zh": "", "evidence_en": "",
            "blatant": False, "vulnerable": False, "duplicate_of": "",
            "true_name": entry["name"], "true_id_number": entry["id_number"],
            "true_account_number": entry["account_number"], "true_quantity": entry["quantity"],
        }
        key.update(extra)
        return key

    def _entry_for(self, person_id: str, program: str, amount: float, quantity: float = 1.0) -> dict:
        person = self.persons.loc[person_id]
        account = self.primary.loc[person_id]
        return {
            "person_id": person_id, "payee_person_id": person_id,
            "household_id": person["household_id"], "program": program, "quantity": quantity,
            "amount": round(amount, 2), "village": person["village"], "name": person["name"],
            "id_number": person["id_number"], "bank": account["bank"],
            "account_number": account["account_number"],
        }

    def _pick(self, candidates: pd.Index | list, k: int) -> list:
        pool = np.asarray(candidates, dtype=object)
        if not len(pool) or k <= 0:
            return []
        chosen = self.rng.choice(len(pool), size=min(k, len(pool)), replace=False)
        return pool[np.sort(chosen)].tolist()

    # --- planting ------------------------------------------------------------------------
    def plant(self) -> None:
        rates = self.scenario.irregularities
        base = self.base
        n = len(base)
        order = self.rng.permutation(n)
        used = np.zeros(n, dtype=bool)  # base rows already mutated

        def take(k: int, allowed: np.ndarray | None = None) -> list[int]:
            """The first k rows, in a random order, that are still free (and allowed)."""
            free = ~used[order] if allowed is None else ~used[order] & allowed[order]
            picked = order[free][:k]
            used[picked] = True
            return picked.tolist()

        entries = [dict(row) for row in base.to_dict("records")]
        keys = [self._key_row({**e, "entry_id": ""}) for e in entries]
        programs = base["program"].to_numpy()

        for i in take(_count(rates.data_entry_id, n)):
            self._typo_id(entries[i], keys[i])
        for i in take(_count(rates.data_entry_name, n)):
            self._typo_name(entries[i], keys[i])
        for i in take(_count(rates.data_entry_card, n)):
            self._typo_card(entries[i], keys[i])
        for i in take(_count(rates.inflated_area, n), programs == "farmland_fertility"):
            self._inflate(entries[i], keys[i])
        fixed = np.isin(programs, ("basic_pension", "old_age_allowance", "severe_disability_care",
                                   "disabled_living", "orphans", "family_planning"))
        for i in take(_count(rates.over_standard, n), fixed):
            self._over_standard(entries[i], keys[i])
        if rates.proxy_account > 0:
            self._proxy(entries, keys, base["village"].to_numpy(), max(2, _count(rates.proxy_account, n)), take)

        extra: list[tuple[dict, dict]] = []
        extra += self._dead_payees(_count(rates.dead_payee, n))
        extra += self._means_tested_claims(_count(rates.public_employee, n), "public_employee")
        extra += self._means_tested_claims(_count(rates.cadre_relative, n), "cadre_relative")
        extra += self._ineligible(_count(rates.ineligible, n))
        duplicates = self._duplicates(entries, keys, _count(rates.duplicate, n))

        for key, vulnerable in zip(keys, self._vulnerable_rows(base), strict=True):
            key["vulnerable"] = vulnerable
        self._shuffle(entries + [e for e, _ in extra], keys + [k for _, k in extra], duplicates)

    def _vulnerable_rows(self, base: pd.DataFrame) -> np.ndarray:
        """低保/特困 households, disabled people and means-tested programs: denial harms most."""
        person = self.persons.loc[base["person_id"]]
        return (base["program"].isin(MEANS_TESTED).to_numpy()
                | person["household_id"].isin(self.dibao_members).to_numpy()
                | person["tekun"].to_numpy(dtype=bool)
                | (person["disability_grade"].to_numpy() > 0))

    def _shuffle(self, entries: list[dict], keys: list[dict],
                 duplicates: list[tuple[int, dict, dict]]) -> None:
        """Shuffle planted entries in so position gives nothing away; each planted copy
        lands somewhere after its original."""
        count = len(entries)
        rank = np.empty(count)
        rank[self.rng.permutation(count)] = np.arange(count)
        sort_keys = list(rank)
        for source, entry, key in duplicates:
            key["_source"] = entries[source]
            sort_keys.append(self.rng.uniform(rank[source] + 0.5, count))
            entries.append(entry)
            keys.append(key)
        order = np.argsort(np.asarray(sort_keys), kind="stable")
        self.rows = [entries[i] for i in order]
        self.key = [keys[i] for i in order]

    def _mistype_digit(self, number: str, start: int) -> str:
        """One digit typed wrong, before the check character; the check then fails (both
        GB 11643's MOD 11-2 and Luhn catch every single-digit slip)."""
        position = int(self.rng.integers(start, len(number) - 1))
        digit = str((int(number[position]) + int(self.rng.integers(1, 10))) % 10)
        return number[:position] + digit + number[position + 1:]

    def _typo_id(self, entry: dict, key: dict) -> None:
        true = entry["id_number"]
        entry["id_number"] = self._mistype_digit(true, start=6)  # a digit after the address code
        key.update(fault="data_entry_id", money_at_stake=entry["amount"], fix_field="id_number",
                   fix_value=true, evidence_registry="residents",
                   evidence_zh=f"身份证号校验位不符；户籍登记中{entry['name']}的身份证号为{true}",
                   evidence_en=f"ID check character fails; the residents register has {entry['name']} as {true}")

    def _typo_name(self, entry: dict, key: dict) -> None:
        true = entry["name"]
        entry["name"] = misspell(true)
        key.update(fault="data_entry_name", money_at_stake=entry["amount"], fix_field="name",
                   fix_value=true, evidence_registry="residents",
                   evidence_zh=f"户籍和社保卡开户名为“{true}”，名册写成“{entry['name']}”",
                   evidence_en=f"residents register and card holder name is {true}, roster has {entry['name']}")

    def _typo_card(self, entry: dict, key: dict) -> None:
        true = entry["account_number"]
        entry["account_number"] = self._mistype_digit(true, start=6)  # a digit after the bank's prefix
        key.update(fault="data_entry_card", money_at_stake=entry["amount"], fix_field="account_number",
                   fix_value=true, evidence_registry="card_status",
                   evidence_zh=f"卡号未通过Luhn校验；账户登记中该人的卡号为{true}",
                   evidence_en=f"card number fails the Luhn check; the card register has {true}")

    def _inflate(self, entry: dict, key: dict) -> None:
        true_q = float(entry["quantity"])
        factor = float(self.rng.uniform(1.3, 2.2))
        claimed_q = round(max(true_q * factor, true_q + 1.0), 1)
        rate = entry["amount"] / true_q if true_q else 0.0
        claimed = round(claimed_q * rate, 2)
        key.update(fault="inflated_area", claimed_amount=claimed, true_amount=entry["amount"],
                   money_at_stake=round(claimed - entry["amount"], 2), fix_field="quantity",
                   fix_value=f"{true_q:.1f}", evidence_registry="land_contracts",
                   evidence_zh=f"土地承包登记面积{true_q:.1f}亩，名册申报{claimed_q:.1f}亩",
                   evidence_en=f"land contract register: {true_q:.1f} mu; roster claims {claimed_q:.1f} mu")
        entry.update(quantity=claimed_q, amount=claimed)

    def _over_standard(self, entry: dict, key: dict) -> None:
        true = float(entry["amount"])
        claimed = round(true * float(self.rng.choice([1.5, 2.0, 3.0, 10.0])), 2)
        key.update(fault="over_standard", claimed_amount=claimed, true_amount=true,
                   money_at_stake=round(claimed - true, 2), fix_field="amount", fix_value=f"{true:.2f}",
                   evidence_registry="programs",
                   evidence_zh=f"按标准应发{true:.2f}元，名册填报{claimed:.2f}元",
                   evidence_en=f"the standard gives ¥{true:.2f}; the roster claims ¥{claimed:.2f}",
                   blatant=claimed >= 3 * true)
        entry["amount"] = claimed

    def _proxy(self, entries: list[dict], keys: list[dict], villages: np.ndarray, k: int, take) -> None:
        """代领: in a few villages, one cadre's card collects three to five villagers' money."""
        cadres = self.persons[self.persons["cadre"] & self.persons["alive"]]
        groups = max(1, k // PROXY_GROUP)
        payees = np.array([e["payee_person_id"] for e in entries], dtype=object)
        for village in self._pick(sorted(set(cadres["village"]) & set(villages)), groups):
            cadre_id = self._pick(cadres.index[cadres["village"] == village], 1)[0]
            cadre = self.persons.loc[cadre_id]
            account = self.primary.loc[cadre_id]
            for i in take(min(PROXY_GROUP, k), (villages == village) & (payees != cadre_id)):
                entry, key = entries[i], keys[i]
                true = entry["account_number"]
                entry.update(account_number=account["account_number"], bank=account["bank"])
                key.update(fault="proxy_account", money_at_stake=entry["amount"], fix_field="account_number",
                           fix_value=true, evidence_registry="card_status", blatant=True,
                           evidence_zh=f"卡号{account['account_number']}的开户人是村干部{cadre['name']}，"
                                       f"不是{entry['name']}；多名补贴对象共用此卡",
                           evidence_en=f"account {account['account_number']} belongs to cadre {cadre['name']}, "
                                       f"not {entry['name']}; several payees share it")
            k -= PROXY_GROUP

    def _new(self, entry: dict, fault: str, stake: float, registry: str, zh: str, en: str,
             blatant: bool) -> tuple[dict, dict]:
        key = self._key_row({**entry, "entry_id": ""}, fault, true_amount=0.0,
                            money_at_stake=stake, evidence_registry=registry,
                            evidence_zh=zh, evidence_en=en, blatant=blatant)
        return entry, key

    def _dead_payees(self, k: int) -> list[tuple[dict, dict]]:
        cal = self.scenario.calendar
        p = self.persons
        dead = p[(~p["alive"]) & (p["death_date"] < pd.Timestamp(cal.period_start))
                 & (p["death_registered_date"] <= pd.Timestamp(cal.as_of)) & (p["age"] >= 60)]
        pension = _typical_amount(self.base, "basic_pension")
        out = []
        for pid in self._pick(dead.index, k):
            if pension is None:
                break
            person = p.loc[pid]
            entry = self._entry_for(pid, "basic_pension", pension)
            out.append(self._new(
                entry, "dead_payee", pension, "deaths",
                f"死亡登记：{person['name']}于{person['death_date']:%Y-%m-%d}死亡，早于发放期",
                f"death register: {person['name']} died on {person['death_date']:%Y-%m-%d}, before the period",
                True))
        return out

    def _means_tested_claims(self, k: int, fault: str) -> list[tuple[dict, dict]]:
        p = self.persons
        per_person = _typical_amount(self.base.assign(amount=self.base["amount"] / self.base["quantity"].clip(lower=1)), "dibao")
        if per_person is None:
            return []
        alive = p["alive"] & (p["age"] >= 18) & ~p["household_id"].isin(self.dibao_members)
        if fault == "public_employee":
            candidates = p[alive & p["public_employee"]]
        else:
            # Not also on the payroll, so the entry shows one irregularity, not two.
            candidates = p[alive & (p["cadre_relative_of"] != "") & (p["owns_vehicle"] | p["owns_business"])
                           & ~p["public_employee"]]
        out = []
        for pid in self._pick(candidates.index, k):
            person = p.loc[pid]
            size = int(self.households.loc[person["household_id"], "size"])
            amount = round(per_person * size, 2)
            entry = self._entry_for(pid, "dibao", amount, float(size))
            if fault == "public_employee":
                zh = f"财政供养人员名单中有{person['name']}，公职人员家庭不得享受低保"
                en = f"{person['name']} is on the state payroll; public employees' households may not get 低保"
                registry = "payroll"
            else:
                cadre = p.loc[person["cadre_relative_of"]]
                owns = "车辆" if person["owns_vehicle"] else "工商登记的经营实体"
                owns_en = "a vehicle" if person["owns_vehicle"] else "a registered business"
                zh = f"{person['name']}是村干部{cadre['name']}的近亲属，名下有{owns}，不符合低保条件"
                en = f"{person['name']} is a relative of cadre {cadre['name']} and owns {owns_en}"
                registry = "cadre_relatives"
            out.append(self._new(entry, fault, amount, registry, zh, en, True))
        return out

    def _ineligible(self, k: int) -> list[tuple[dict, dict]]:
        p = self.persons
        pension = _typical_amount(self.base, "basic_pension")
        care = _typical_amount(self.base, "severe_disability_care")
        young = p[p["alive"] & (p["age"] >= 50) & (p["age"] < 60)]
        no_grade = p[p["alive"] & (p["age"] >= 18) & ~p["disability_grade"].isin([1, 2])]
        # Every other case claims the severe-disability allowance without grade 1 or 2.
        care_claimants = iter(self._pick(no_grade.index, k // 2) if care is not None else [])
        out = []
        for n_done, pid in enumerate(self._pick(young.index, k)):
            use_care = care is not None and n_done % 2 == 1
            if use_care:
                pid = next(care_claimants, pid)
            person = p.loc[pid]
            if use_care:
                entry = self._entry_for(pid, "severe_disability_care", care)
                zh = f"残疾人证登记中{person['name']}不是一、二级重度残疾"
                en = f"the disability register does not show {person['name']} at grade 1 or 2"
                registry = "disability"
            elif pension is not None:
                entry = self._entry_for(pid, "basic_pension", pension)
                zh = f"户籍登记{person['name']}出生于{person['birth_date']:%Y-%m-%d}，未满60周岁"
                en = f"residents register: {person['name']} was born {person['birth_date']:%Y-%m-%d}, under 60"
                registry = "residents"
            else:
                continue
            out.append(self._new(entry, "ineligible", entry["amount"], registry, zh, en, False))
        return out

    def _duplicates(self, entries: list[dict], keys: list[dict], k: int) -> list[tuple[int, dict, dict]]:
        clean = [i for i, key in enumerate(keys) if not key["fault"]]
        villages = sorted(self.world.households["village"].unique())
        out = []
        for i in self._pick(clean, k):
            entry = dict(entries[i])
            if len(villages) > 1 and self.rng.random() < 0.5:
                entry["village"] = str(self.rng.choice([v for v in villages if v != entry["village"]]))
            key = self._key_row({**entry, "entry_id": ""}, "duplicate", true_amount=0.0,
                                money_at_stake=entry["amount"], evidence_registry="roster")
            out.append((i, entry, key))
        return out


def _messy(value: str, kind: str, rng: np.random.Generator) -> str:
    """Harmless typing mess: what normalisation must undo."""
    if kind == "id_number":
        choice = rng.integers(3)
        if choice == 0:
            return value.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
        if choice == 1:
            return f"{value[:6]} {value[6:14]} {value[14:]}"
        return value.lower() if value.endswith("X") else f" {value} "
    if kind == "account_number":
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    if kind == "name":
        return value + ("  " if rng.random() < 0.5 else "\u3000")
    if kind == "quantity":
        return f"{value}亩"
    if kind == "amount":
        return f"{value}元" if rng.random() < 0.5 else f"¥{value}"
    return value


def _format_quantity(program: str, quantity: float) -> str:
    return f"{quantity:.1f}" if program in PER_MU else f"{int(round(quantity))}"


def build_collection(world, scenario: Scenario, entitlements: pd.DataFrame) -> CollectionData:
    """Rosters as typed by village staff, their true values, and the answer key."""
    base = _payee_table(world, entitlements).sort_values(["village", "program", "id_number"], kind="stable")
    base = base.reset_index(drop=True)
    planter = _Planter(world, scenario, base)
    planter.plant()

    rows, keys = planter.rows, planter.key
    # Villages list their own entries together, as the files arrive per village.
    village_order = {v: i for i, v in enumerate(sorted({r["village"] for r in rows}))}
    order = sorted(range(len(rows)), key=lambda i: (village_order[rows[i]["village"]], i))
    rows = [rows[i] for i in order]
    keys = [keys[i] for i in order]
    entry_ids = {id(row): f"E{index + 1:0{max(4, len(str(len(rows))))}d}" for index, row in enumerate(rows)}
    for row, key in zip(rows, keys, strict=True):
        row["entry_id"] = key["entry_id"] = entry_ids[id(row)]
    for key in keys:
        source = key.pop("_source", None)
        if source is not None:
            key["duplicate_of"] = entry_ids[id(source)]
            key["evidence_zh"] = f"同一身份证号在同一项目中已有记录（{key['duplicate_of']}）"
            key["evidence_en"] = f"the same ID already has an entry for this program ({key['duplicate_of']})"
    _mark_look_alikes(rows, keys, world, scenario)

    truth = pd.DataFrame(rows)[["entry_id", "person_id", "payee_person_id", "household_id", *ROSTER_COLUMNS[1:]]]
    typed = _type_out(truth, scenario)
    key_frame = pd.DataFrame(keys)[KEY_COLUMNS]
    return CollectionData(typed=typed, village_files=_village_files(typed, scenario), truth=truth, key=key_frame)


def _type_out(truth: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    rng = rng_for(scenario.seed, "collection", "typing")
    typed = pd.DataFrame(
        {
            "entry_id": truth["entry_id"],
            "village": truth["village"],
            "name": truth["name"],
            "id_number": truth["id_number"],
            "program": truth["program"],
            "quantity": [_format_quantity(p, q) for p, q in zip(truth["program"], truth["quantity"], strict=True)],
            "amount": truth["amount"].map(lambda a: f"{a:.2f}"),
            "bank": truth["bank"],
            "account_number": truth["account_number"],
        }
    )
    rate = scenario.irregularities.messy_typing
    mess = rng.random(len(typed)) < rate
    fields = rng.choice(["id_number", "account_number", "name", "quantity", "amount"], size=len(typed))
    for i in np.flatnonzero(mess):
        field = str(fields[i])
        if field == "quantity" and typed.at[i, "program"] not in PER_MU:
            field = "amount"
        typed.at[i, field] = _messy(str(typed.at[i, field]), field, rng)
    return typed


def _village_files(typed: pd.DataFrame, scenario: Scenario) -> dict[str, pd.DataFrame]:
    rng = rng_for(scenario.seed, "collection", "files")
    villages = sorted(typed["village"].unique())
    odd_one = villages[int(rng.integers(len(villages)))]
    files = {}
    for village, frame in typed.groupby("village", sort=True):
        frame = frame.rename(columns=ROSTER_HEADERS_ZH)
        if village == odd_one:
            # One village's clerk built the sheet in their own column order.
            frame = frame[["序号", "姓名", "补贴项目", "金额", "身份证号", "卡号", "开户行", "数量", "村"]]
        files[str(village)] = frame.reset_index(drop=True)
    return files


def _mark_look_alikes(rows: list[dict], keys: list[dict], world, scenario: Scenario) -> None:
    """Correct entries that look wrong: the feedback names them when a trainee denies one."""
    frame = pd.DataFrame({"name": [r["name"] for r in rows], "id_number": [r["id_number"] for r in rows],
                          "payee": [r["payee_person_id"] for r in rows],
                          "beneficiary": [r["person_id"] for r in rows]})
    persons = world.persons.set_index("person_id")
    start = pd.Timestamp(scenario.calendar.period_start)
    died_in_period = (~persons["alive"] & (persons["death_date"] >= start)).reindex(frame["payee"]).to_numpy()
    namesakes = (frame.groupby("name")["id_number"].transform("nunique") > 1).to_numpy()
    head_card = (frame["payee"] != frame["beneficiary"]).to_numpy()
    labels = np.select([died_in_period, namesakes, head_card], ["late_death", "same_name", "head_card"], "")
    for key, label in zip(keys, labels, strict=True):
        if not key["fault"]:
            key["look_alike"] = str(label)
