"""The contract every irregularity type fulfils, and the registry that lists them.

An irregularity type is one module under sandbox/irregularities/, written like a Faker
provider: a subclass of `Irregularity` that declares, as class attributes and a few methods,

- its scenario rate field (`code`, `rate`): the schema's `irregularities` section is built
  from these;
- how it is planted (`planting`, `plant`);
- its evidence and the registries that prove it (`evidence`, `report_words`);
- the right decision and fix (`decision`, `fix_field`, `rejecting_is_right_too`);
- its objection texts during 公示 (`blatant`, `objection_zh/en`);
- what the money it carries counts as (`harm`, `money`) and how to rectify it;
- the reviewers' rules (`check`, `review` for the rules-only persona, `review_carefully` for
  the careful one, `inspect`), over plain data;
- its forms: each planted case names its form in the key's `pattern` column (e.g.
  `late_registration`), so a test can see a type is planted in more than one shape;
- its zh/en names, keywords, rule and tip.

This module imports nothing heavy and nothing of the sandbox above it: the scenario schema
imports the registry, so the types must load without pandas, the scenario or the platform.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from sandbox.common.identifiers import check_id_number

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import Evidence, InspectionContext, ReviewContext
    from sandbox.irregularities.planting import PlantingSite

Harm = Literal["money_lost", "delay"]
Lang = Literal["zh", "en"]

# Where evidence lives: the registries of docs/architecture.md plus the program catalogue.
EVIDENCE_SOURCES: dict[str, tuple[str, str]] = {
    "residents": ("户籍", "residents register"),
    "deaths": ("死亡登记", "death register"),
    "payroll": ("财政供养人员", "state payroll"),
    "cadres": ("村干部", "village cadres"),
    "cadre_relatives": ("村干部近亲属", "cadres' close relatives"),
    "vehicles": ("车辆登记", "vehicle register"),
    "businesses": ("工商登记", "business register"),
    "land_contracts": ("土地承包", "land contracts"),
    "disability": ("残疾人证", "disability certificates"),
    "dibao": ("低保/特困", "低保/特困 register"),
    "card_status": ("社保卡/账户状态", "card and account status"),
    "cremations": ("殡葬火化记录", "cremation records"),
    "medical_insurance": ("医保参保状态", "medical insurance enrolment"),
    "land_transfers": ("土地流转备案", "land transfer records"),
    "forest_rights": ("林权登记", "forest rights register"),
    "programs": ("补贴项目清单", "program catalogue (standards)"),
}

# Means-tested aid (救助类): public employees' and cadres' relatives' claims are screened.
MEANS_TESTED: tuple[str, ...] = ("dibao", "tekun", "disabled_living")


class Planting(StrEnum):
    """How a type enters the roster. Types are planted phase by phase, in this order, and in
    registry order within a phase, so the random draws never change place."""

    CHANGE = "change"  # a true entry is altered (a typo, an inflated area…)
    ADD = "add"        # a new entry is made up for somebody not entitled
    COPY = "copy"      # a clean entry is entered a second time


class Money(StrEnum):
    """What the money of an entry of this type counts as when it is paid (监督检查)."""

    NOT_ENTITLED = "not_entitled"      # entitled to nothing: every yuan paid is improper
    OVERPAID = "overpaid"              # entitled to less: what was paid above the entitlement
    SECOND_PAYMENT = "second_payment"  # a copy of another entry: improper once both are paid
    WRONG_ACCOUNT = "wrong_account"    # entitled, but what reached somebody else's account
    ENTITLED = "entitled"              # a slip of typing: due money; only a double credit is improper


class Check(IntEnum):
    """The comparison that catches a type; the careful persona works through them in turn."""

    ROSTER = 1        # against the other entries (or payment lines) themselves
    CHECK_DIGITS = 2  # the check character of a number as typed
    ENTITLEMENT = 3   # registries show the claimant is entitled to nothing
    RECORDS = 4       # registries show a field typed or claimed wrong
    STANDARD = 5      # the catalogue's standard gives another amount


@dataclass(frozen=True)
class Rate:
    """The type's field in the scenario's `irregularities` section: a share of entries."""

    default: float
    description: str  # the docs: docs/authoring.md's field table shows it
    maximum: float = 0.5


@dataclass(frozen=True)
class Verdict:
    """What a careful reviewer decides for one entry."""

    decision: Literal["approve", "reject", "correct", "refer"]
    reason: str = ""
    field: str = ""
    value: str = ""


def in_turn(forms: list[str], k: int) -> list[str]:
    """k cases spread over a type's forms in turn (form 1, form 2, …, form 1, …), so two or
    more cases always show two or more forms."""
    return [forms[i % len(forms)] for i in range(k)] if forms else []


class Irregularity(ABC):
    """One type of irregularity. Subclasses declare every name in `DECLARED` and `plant`."""

    DECLARED: ClassVar[tuple[str, ...]] = (
        "code", "zh", "en", "keywords", "rule_zh", "rule_en", "tip_zh", "tip_en", "rate", "harm",
        "severity", "money", "evidence", "report_words", "decision", "fix_field", "blatant",
        "objection_zh", "objection_en", "rectification_zh", "rectification_en", "planting", "check",
    )

    # names, and what a trainee is taught
    code: ClassVar[str]                    # also its rate field in `irregularities`
    zh: ClassVar[str]
    en: ClassVar[str]
    keywords: ClassVar[tuple[str, ...]]    # words a trainee may type for it (zh first, some en)
    rule_zh: ClassVar[str]
    rule_en: ClassVar[str]
    tip_zh: ClassVar[str]
    tip_en: ClassVar[str]
    # the scenario
    rate: ClassVar[Rate]
    # harm
    harm: ClassVar[Harm]                   # money lost, or only a payment delayed (returned)
    severity: ClassVar[int]                # 3 fraud or abuse, 2 money lost by error, 1 delay only
    money: ClassVar[Money]
    # evidence
    evidence: ClassVar[tuple[str, ...]]    # keys of EVIDENCE_SOURCES
    report_words: ClassVar[tuple[str, ...]]  # words of its evidence text that name it (visit reports)
    # the right decision
    decision: ClassVar[Literal["reject", "correct"]]
    fix_field: ClassVar[str]               # the field a correction sets ("" when rejected)
    rejecting_is_right_too: ClassVar[bool] = False  # stopping the payment is also right
    # 公示 and 监督检查
    blatant: ClassVar[bool]                # villagers notice it and object more often
    objection_zh: ClassVar[str]            # "{name}" is the entry's name
    objection_en: ClassVar[str]
    rectification_zh: ClassVar[str]        # 整改要求 an inspector writes for it
    rectification_en: ClassVar[str]
    # planting and the careful persona
    planting: ClassVar[Planting]
    check: ClassVar[Check]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        missing = [name for name in cls.DECLARED if not hasattr(cls, name)]
        if missing:
            raise TypeError(f"irregularity type {cls.__name__} does not declare {', '.join(missing)}")

    # --- planting ----------------------------------------------------------------------------
    @abstractmethod
    def plant(self, site: PlantingSite, rate: float) -> None:
        """Plant this type into the roster being built, at `rate` (a share of its entries)."""

    def reserved_rows(self, site: PlantingSite) -> Sequence[int]:
        """Base rows the world itself made irregular in this type's way (a type that marks every
        such row); planting keeps them from the other types. None by default (empty)."""
        return ()

    def numbered(self, key: dict[str, Any]) -> None:
        """Complete a key row once entry ids are known (a copy names its original)."""
        return  # an optional hook: only copies (duplicate) name another entry

    # --- the careful persona -----------------------------------------------------------------
    def proven_by_registry(self, evidence: Evidence, program: str, id_number: str) -> bool:
        """For a type the registries prove on their own: do they prove it for this claim?
        A type that answers gets the standard rules below: reject it in review, recover the
        whole line in inspection. Types that need more than a yes/no override those rules."""
        return False

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """What a careful reviewer decides when this rule fires for an entry; None: it does not."""
        if context.use_registries and self.proven_by_registry(context.evidence, entry["program"],
                                                              entry["id_number"]):
            return Verdict("reject", self.code)
        return None

    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """What a reviewer who weighs conflicting evidence decides (the `careful` persona): a farm
        vehicle is not a car, a retiree is not on the payroll, a transfer record explains grain
        area, a cremation record shows an unregistered death. Defaults to the plain rule."""
        return self.review(entry, context)

    def inspect(self, line: Mapping[str, Any], context: InspectionContext) -> float | None:
        """The yuan a careful inspector recovers from a credited line for it; None: nothing."""
        if context.evidence is not None and self.proven_by_registry(
                context.evidence, line["program"], line["payee_id_number"]):
            return float(line["amount"])
        return None

    def inspect_carefully(self, line: Mapping[str, Any], context: InspectionContext) -> float | None:
        """What an inspector who weighs evidence recovers: what the type's own `inspect` finds,
        else what its `review_carefully` says of the paid line (a retiree on the payroll list, a
        farm vehicle, a cremation record, land rented in are weighed): the whole line for a
        rejection, the amount above the corrected area for a correction."""
        if type(self).inspect is not Irregularity.inspect:
            found = self.inspect(line, context)
            if found is not None:
                return found
        if context.evidence is None or not check_id_number(str(line["payee_id_number"])).valid:
            return None  # a mistyped ID finds nobody in the registries: that proves nothing
        from sandbox.irregularities.evidence import ReviewContext  # evidence loads pandas

        amount = float(line["amount"])
        rate = context.catalogue.rate_per_mu.get(line["program"])
        entry = {**line, "id_number": line["payee_id_number"], "name": line.get("payee_name", ""),
                 "quantity": amount / rate if rate else 1.0}
        verdict = self.review_carefully(entry, ReviewContext(context.evidence, True, set()))
        if verdict is None or verdict.reason not in ("", self.code):
            return None
        if verdict.decision == "reject" and verdict.reason == self.code:
            return amount
        if verdict.decision == "correct" and verdict.field == "quantity" and rate:
            over = round(amount - float(verdict.value) * rate, 2)
            return over if over > 0 else None
        return None

    # --- words ---------------------------------------------------------------------------------
    @property
    def correctable(self) -> bool:
        """The beneficiary is entitled: fix the field, do not reject."""
        return self.decision == "correct"

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def rule(self, lang: str = "zh") -> str:
        return self.rule_zh if lang == "zh" else self.rule_en

    def tip(self, lang: str = "zh") -> str:
        return self.tip_zh if lang == "zh" else self.tip_en

    def objection(self, name: str, lang: str = "zh") -> str:
        return (self.objection_zh if lang == "zh" else self.objection_en).format(name=name)

    def rectification(self, lang: str = "zh") -> str:
        return self.rectification_zh if lang == "zh" else self.rectification_en

    def __repr__(self) -> str:
        return f"<irregularity {self.code}>"


class Registry(Mapping[str, Irregularity]):
    """The irregularity types by code, in declaration order (the scenario schema's order)."""

    def __init__(self, types: Iterable[Irregularity]) -> None:
        self._types: dict[str, Irregularity] = {}
        for kind in types:
            if kind.code in self._types:
                raise ValueError(f"irregularity type {kind.code!r} is registered twice")
            self._types[kind.code] = kind

    def __getitem__(self, code: str) -> Irregularity:
        return self._types[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._types)

    def __len__(self) -> int:
        return len(self._types)

    def in_planting_order(self) -> list[Irregularity]:
        """Phase by phase (see `Planting`), declaration order within a phase."""
        phases = list(Planting)
        return sorted(self._types.values(), key=lambda kind: phases.index(kind.planting))

    def checked_in(self, *steps: Check) -> list[Irregularity]:
        """The types caught by these checks: step by step in the order given, declaration
        order within a step."""
        return [kind for step in steps for kind in self._types.values() if kind.check == step]

    def where(self, **declared: object) -> list[Irregularity]:
        """The types whose declarations have these values, e.g. where(blatant=True)."""
        return [kind for kind in self._types.values()
                if all(getattr(kind, name) == value for name, value in declared.items())]

    def payment_made_twice(self) -> Irregularity:
        """The type an entitled entry credited twice counts as (the copied entry)."""
        return self.where(money=Money.SECOND_PAYMENT)[0]
