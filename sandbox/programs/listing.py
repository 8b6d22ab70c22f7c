"""The 补贴项目清单 as data (programs/data/henan-2022.yaml): every program on the list with its
department, legal basis, standard, frequency, eligibility and whether it was paid in
January–May 2022; the programs the village sandbox simulates also carry a structured rule.

Loading checks each entry and names the file, the program and the field that is wrong.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from sandbox.common.disk_cache import cache_directory, cache_enabled, read_kept, write_kept
from sandbox.errors import SandboxError
from sandbox.programs.rules import (
    Condition,
    Fixed,
    Formula,
    GapToStandard,
    MultipleOfStandard,
    PerMu,
    TieredByAge,
)

LIST_FILE = "henan-2022.yaml"
# frequency -> (zh, en)
LIST_FREQUENCY_WORDS: dict[str, tuple[str, str]] = {
    "monthly": ("按月", "monthly"), "quarterly": ("按季", "quarterly"), "semester": ("按学期", "by semester"),
    "yearly": ("按年", "yearly"), "one_off": ("一次性", "one-off"), "as_approved": ("随审批", "as approved"),
}
LIST_FREQUENCIES = tuple(LIST_FREQUENCY_WORDS)
REQUIRED = ("code", "zh", "en", "department", "legal_basis", "standard", "standard_source", "frequency",
            "eligibility", "paid_jan_may", "city")
PAY_MONTHS = range(1, 6)  # January–May 2022, the seed article's five months


@dataclass(frozen=True)
class CityRule:
    """How the census-scale city run finds a program's payees (sandbox/world/city_run.py)."""

    months: tuple[int, ...]
    who: str                              # "rule" (the structured rule) | "share"
    base: tuple[Condition, ...] = ()      # for "share": who may be drawn
    share: float = 0.0                    # for "share": the share of `base` paid
    amount: float = 0.0                   # for "share": ¥ per payee and batch
    batch_months: int = 1                 # for "rule": months of the monthly standard one batch pays
    card_share: float = 1.0               # for "rule": share of the rule's payees paid to their own card


@dataclass(frozen=True)
class ListedProgram:
    code: str
    zh: str
    en: str
    department: str
    legal_basis: str
    standard: str
    standard_source: str
    frequency: str
    eligibility: str
    paid_jan_may: bool
    on_one_card_list: bool
    city: CityRule
    rule: dict | None  # the raw structured rule (unit, conditions, amount); None for share-only


def _problem(code: str, field: str, expected: str) -> SandboxError:
    return SandboxError(f"补贴项目清单 {LIST_FILE}：项目 {code!r} 的字段 {field} 有误，应为{expected}",
                        f"programs list {LIST_FILE}: program {code!r}, field {field}: expected {expected}")


def conditions_of(raw: list, code: str, field: str) -> tuple[Condition, ...]:
    out = []
    for i, item in enumerate(raw or []):
        try:
            out.append(Condition(*item))
        except (TypeError, ValueError) as exc:
            raise _problem(code, f"{field}[{i}]", f"[字段, 运算符, 值] / [field, op, value] ({exc})") from None
    return tuple(out)


def formula_of(raw: dict, code: str) -> Formula:
    kinds = {
        "fixed": lambda r: Fixed(float(r["amount"])),
        "per_mu": lambda r: PerMu(str(r["field"]), float(r["rate"])),
        "tiered_by_age": lambda r: TieredByAge(tuple((int(a), float(m)) for a, m in r["tiers"])),
        "gap_to_standard": lambda r: GapToStandard(float(r["standard"])),
        "multiple_of_standard": lambda r: MultipleOfStandard(float(r["multiple"]), str(r.get("of_program", "dibao"))),
    }
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if kind not in kinds:
        raise _problem(code, "rule.amount.kind", " 或 ".join(kinds))
    try:
        return kinds[kind](raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise _problem(code, "rule.amount", f"{kind} 的参数 ({exc})") from None


def _city(raw: Any, code: str, has_rule: bool) -> CityRule:
    if not isinstance(raw, dict) or raw.get("who") not in ("rule", "share"):
        raise _problem(code, "city.who", "rule 或 share")
    months = tuple(int(m) for m in raw.get("months", []))
    if any(m not in PAY_MONTHS for m in months):
        raise _problem(code, "city.months", "1–5 之间的月份 / months 1–5")
    if raw["who"] == "rule":
        if not has_rule:
            raise _problem(code, "city.who", "share（该项目没有 rule）")
        batch = int(raw.get("batch_months", 1))
        if not 1 <= batch <= 12:
            raise _problem(code, "city.batch_months", "1–12 的整数 / a whole number 1–12")
        card_share = float(raw.get("card_share", 1.0))
        if not 0 < card_share <= 1:
            raise _problem(code, "city.card_share", "0 到 1 之间的比例 / a share above 0 and at most 1")
        return CityRule(months, "rule", batch_months=batch, card_share=card_share)
    share, amount = float(raw.get("share", -1)), float(raw.get("amount", -1))
    if not 0 <= share <= 1 or amount < 0:
        raise _problem(code, "city.share / city.amount", "0–1 之间的比例和不小于 0 的金额")
    return CityRule(months, "share", conditions_of(raw.get("base", []), code, "city.base"), share, amount)


def _entry(raw: dict, departments: dict) -> ListedProgram:
    code = str(raw.get("code", "?"))
    for key in REQUIRED:
        if key not in raw:
            raise _problem(code, key, "必填 / required")
    if raw["department"] not in departments:
        raise _problem(code, "department", "、".join(departments))
    if raw["frequency"] not in LIST_FREQUENCIES:
        raise _problem(code, "frequency", " 或 ".join(LIST_FREQUENCIES))
    if "rule" in raw and raw["frequency"] not in ("monthly", "yearly", "one_off"):
        raise _problem(code, "frequency", "monthly、yearly 或 one_off（有 rule 的项目由村级沙盘模拟）")
    on_list = bool(raw.get("on_one_card_list", True))
    if on_list and raw["paid_jan_may"] != bool(_city(raw["city"], code, "rule" in raw).months):
        raise _problem(code, "paid_jan_may", "与 city.months 一致（有发放月份即已发放）")
    return ListedProgram(
        code=code, zh=str(raw["zh"]), en=str(raw["en"]), department=str(raw["department"]),
        legal_basis=str(raw["legal_basis"]), standard=str(raw["standard"]),
        standard_source=str(raw["standard_source"]), frequency=str(raw["frequency"]),
        eligibility=str(raw["eligibility"]), paid_jan_may=bool(raw["paid_jan_may"]),
        on_one_card_list=on_list,
        city=_city(raw["city"], code, "rule" in raw), rule=raw.get("rule"),
    )


def _parsed() -> dict:
    """The list file parsed; kept pickled under the cache by its bytes, so a cached start
    imports no PyYAML (tests/test_lazy_imports.py)."""
    content = files("sandbox.programs").joinpath("data", LIST_FILE).read_bytes()
    where = cache_directory() / f"programs-{hashlib.sha256(content).hexdigest()[:32]}.pickle"
    kept = read_kept(where) if cache_enabled() else None
    if isinstance(kept, dict):
        return kept
    import yaml  # only when not kept

    data = yaml.safe_load(content.decode("utf-8"))
    if cache_enabled():
        write_kept(where, data)
    return data


@cache
def _load() -> tuple[dict[str, str], tuple[ListedProgram, ...], dict[str, str]]:
    data = _parsed()
    departments = {str(k): str(v) for k, v in data["departments"].items()}
    entries = tuple(_entry(raw, departments) for raw in data["programs"])
    documents = {e.code: str(raw.get("document", "")) for e, raw in zip(entries, data["programs"], strict=True)}
    codes = [e.code for e in entries]
    if len(set(codes)) != len(codes):
        raise SandboxError(f"补贴项目清单 {LIST_FILE} 中项目代码重复", f"programs list {LIST_FILE} repeats a program code")
    return departments, entries, documents


def departments() -> dict[str, str]:
    """主管部门 (zh) -> English name, as the list declares them."""
    return _load()[0]


def listed_programs(one_card_only: bool = True) -> tuple[ListedProgram, ...]:
    """Every program on the list, in file order (by default those paid through 一卡通)."""
    return tuple(p for p in _load()[1] if p.on_one_card_list or not one_card_only)


def document_of(code: str) -> str:
    return _load()[2][code]
