"""The catalogue of irregularities review must catch, and of entries that only look wrong.

Codes match the fields of `scenario.irregularities`. Each fault says how it harms (money
paid improperly, or a payment the bank returns and so delays), whether the entry is fixed
by correcting a field (the beneficiary is entitled) or stopped by rejecting it, which
registries (docs/architecture.md) hold the evidence, the rule, and a tip for next time.

`parse_reason` turns what a trainee types as a rejection reason — a code, the Chinese or
English name, or a few words such as 死亡, 公职人员, 重复 — into a fault code.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from sandbox.errors import SandboxError

Harm = Literal["money_lost", "delay"]

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
    "programs": ("补贴项目清单", "program catalogue (standards)"),
}


@dataclass(frozen=True)
class Fault:
    code: str
    zh: str
    en: str
    keywords: tuple[str, ...]  # words a trainee might type for it (zh first, some en)
    harm: Harm
    severity: int  # 3 fraud or abuse, 2 money lost by error, 1 delay only
    correctable: bool  # True: the beneficiary is entitled; fix the field, do not reject
    evidence: tuple[str, ...]  # keys of EVIDENCE_SOURCES
    rule_zh: str
    rule_en: str
    tip_zh: str
    tip_en: str

    def rule(self, lang: str = "zh") -> str:
        return self.rule_zh if lang == "zh" else self.rule_en

    def tip(self, lang: str = "zh") -> str:
        return self.tip_zh if lang == "zh" else self.tip_en

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class LookAlike:
    """An entry that looks irregular but is correct; rejecting it harms an entitled person."""

    code: str
    zh: str
    en: str
    why_zh: str
    why_en: str
    tip_zh: str
    tip_en: str

    def tip(self, lang: str = "zh") -> str:
        return self.tip_zh if lang == "zh" else self.tip_en


FAULTS: dict[str, Fault] = {
    f.code: f
    for f in (
        Fault(
            "data_entry_id", "身份证号错误", "ID number typed wrong",
            ("身份证号错误", "身份证号码错误", "身份证错误", "身份证号", "身份证", "证件号", "校验位",
             "id number", "wrong id"),
            "delay", 1, True, ("residents",),
            "身份证号须与户籍登记一致并通过校验位（GB 11643）",
            "the ID number must match the residents register and pass its check character (GB 11643)",
            "每个身份证号都做校验位检查，并到户籍登记中按姓名核对",
            "run the check-character test on every ID and look the name up in the residents register",
        ),
        Fault(
            "data_entry_name", "户名不符/同音字", "name does not match (homophone typo)",
            ("户名不符", "同音字", "姓名错误", "名字错误", "姓名不符", "户名", "错别字", "别字",
             "name mismatch", "homophone", "wrong name"),
            "delay", 1, True, ("residents", "card_status"),
            "姓名须与户籍和开户名完全一致，否则银行以“户名不符”退回",
            "the name must match the residents register and the account holder exactly, or the bank returns it (BE01)",
            "按身份证号到户籍和社保卡登记中取姓名，逐字比对，留意同音字",
            "fetch the name by ID from the residents and card registers and compare it character by character",
        ),
        Fault(
            "data_entry_card", "卡号错误", "card number typed wrong",
            ("卡号错误", "账号错误", "卡号", "银行卡号", "账号", "luhn", "card number", "account number"),
            "delay", 1, True, ("card_status",),
            "卡号须通过Luhn校验并与本人社保卡/账户登记一致",
            "the card number must pass the Luhn check and match the person's card in the card register",
            "对每个卡号做Luhn校验，并按身份证号到社保卡/账户状态中核对",
            "Luhn-check every card number and compare it with the card register by ID number",
        ),
        Fault(
            "dead_payee", "冒领：已死亡人员", "payment to a dead person (false claim)",
            ("冒领", "已死亡", "死亡", "去世", "已故", "过世", "病故", "身故", "死者", "dead", "deceased",
             "died"),
            "money_lost", 3, False, ("deaths",),
            "发放期开始前已死亡的人员不得享受补贴，应停发",
            "nobody who died before the period starts may be paid; stop the payment",
            "审核前把每个身份证号与死亡登记比对；注意死亡登记有滞后，必要时入户核实",
            "compare every ID against the death register before approval; registration lags, so visit when in doubt",
        ),
        Fault(
            "public_employee", "公职人员违规领取", "public employee claiming means-tested aid",
            ("公职人员", "财政供养", "吃财政", "公务员", "事业编", "在编", "工资", "public employee",
             "civil servant", "payroll"),
            "money_lost", 3, False, ("payroll",),
            "财政供养人员及其家庭不得享受低保等救助类补贴",
            "people on the state payroll and their households may not receive 低保 or other means-tested aid",
            "救助类项目逐人比对财政供养人员名单",
            "check every claimant of means-tested aid against the state payroll",
        ),
        Fault(
            "cadre_relative", "优亲厚友", "cadre favouring relatives",
            ("优亲厚友", "村干部亲属", "干部亲属", "人情保", "关系保", "近亲属", "亲属", "有车", "车辆",
             "经商", "nepotism", "cadre relative", "relative"),
            "money_lost", 3, False, ("cadre_relatives", "cadres", "vehicles", "businesses"),
            "村干部近亲属享受低保须备案并从严审核；有车辆或经营实体的家庭一般不符合低保条件",
            "低保 for a cadre's close relative needs a declared, strict review; a household with a car or business usually does not qualify",
            "把低保名单与村干部近亲属名单比对，命中者再查车辆和工商登记",
            "match the 低保 list against cadres' relatives, then check hits in the vehicle and business registers",
        ),
        Fault(
            "duplicate", "重复发放", "duplicate payment",
            ("重复发放", "重复领取", "重复", "重报", "两次", "多次", "duplicate", "twice"),
            "money_lost", 2, False, ("residents",),
            "同一项目同一期每个身份证号只能发放一次",
            "each ID may be paid once per program and period",
            "按项目和身份证号查重，包括跨村重复",
            "de-duplicate by program and ID number, across villages too",
        ),
        Fault(
            "inflated_area", "虚报面积", "inflated land area",
            ("虚报面积", "多报面积", "面积不符", "面积", "虚报", "多报", "亩数", "inflated area", "area"),
            "money_lost", 2, True, ("land_contracts",),
            "按面积发放的补贴以土地承包登记面积为准，多报部分核减",
            "area-based subsidies pay the contracted area on record; cut the excess (核减)",
            "把申报面积与土地承包登记逐户比对，改为登记面积后通过",
            "compare claimed mu with the land contract register household by household; correct to the registered area and approve",
        ),
        Fault(
            "over_standard", "超标准发放", "amount above the standard",
            ("超标准发放", "超标准", "超标", "金额错误", "金额不对", "金额", "多发", "标准",
             "over standard", "amount"),
            "money_lost", 2, True, ("programs",),
            "发放金额须等于按项目标准计算的金额",
            "the amount must equal what the program's standard gives",
            "按补贴项目清单的标准重算每一行金额，改为标准金额后通过",
            "recompute every amount from the catalogue standard; correct it and approve",
        ),
        Fault(
            "ineligible", "资格不符", "not eligible",
            ("资格不符", "不符合条件", "不符合", "资格", "年龄不够", "年龄不足", "不足", "未满", "不满", "无残疾证", "条件不符",
             "ineligible", "not eligible"),
            "money_lost", 2, False, ("residents", "disability", "dibao"),
            "申领人须满足项目条件（年龄、残疾等级、低保身份等）",
            "the claimant must meet the program's conditions (age, disability grade, 低保 status…)",
            "对照项目条件逐条核对户籍年龄、残疾人证和低保登记",
            "check each condition against the registered age, disability certificate and 低保 register",
        ),
        Fault(
            "proxy_account", "代领/截留：他人账户", "paid into someone else's account (withholding)",
            ("代领", "截留", "他人账户", "他人账号", "他人的卡", "非本人账户", "代持", "共用", "他人卡", "proxy", "withheld",
             "someone else"),
            "money_lost", 3, True, ("card_status",),
            "补贴须发到本人（按户项目为户主）名下的社保卡，不得由他人代持代领",
            "pay to the beneficiary's own card (the head's, for per-household programs); nobody may hold it for them",
            "核对开户名与领取人是否一致，留意多人共用同一卡号，改为本人卡号后通过",
            "check the account holder against the payee and look for one account shared by many; correct to their own card",
        ),
    )
}

LOOK_ALIKES: dict[str, LookAlike] = {
    a.code: a
    for a in (
        LookAlike(
            "head_card", "户主代领", "paid to the head's card",
            "按户发放的补贴（耕地地力保护、低保等）本就发到户主卡上，不是代领",
            "per-household subsidies (farmland, 低保…) go to the head's card by rule; that is not proxy claiming",
            "先看项目是按人还是按户发放，再判断收款人",
            "check whether the program pays per person or per household before judging the payee",
        ),
        LookAlike(
            "same_name", "同名不同人", "same name, different person",
            "两人同名但身份证号不同，是两个人，不是重复发放",
            "two people with one name but different ID numbers are two people, not a duplicate",
            "查重用身份证号，不用姓名",
            "de-duplicate on ID numbers, never on names",
        ),
        LookAlike(
            "late_death", "死亡在发放期之后", "died after the period started",
            "发放期开始后才死亡的人员，本期仍应享受，下期起停发",
            "someone who died after the period started is still entitled for it; payment stops next period",
            "比对死亡日期与发放期开始日期，而不只是看是否在死亡登记中",
            "compare the death date with the period start, not just whether the name is in the death register",
        ),
    )
}


def fault(code: str) -> Fault:
    """The fault with this code; SandboxError with a suggestion when unknown."""
    try:
        return FAULTS[code]
    except KeyError:
        raise SandboxError(f"unknown fault code {code!r}" + _suggest(code)) from None


# --- reading what trainees type -----------------------------------------------------------


def _normalize(text: str) -> str:
    """Full-width to half-width, lower case, no spaces or punctuation around words."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s_\-:：,，。.;；/、()（）\"'“”‘’]+", " ", text).strip()


def _compact(text: str) -> str:
    return _normalize(text).replace(" ", "")


def _exact_names() -> dict[str, str]:
    """Normalised code, zh and en name (and each part of a zh name like 冒领：已死亡人员)."""
    names: dict[str, str] = {}
    for f in FAULTS.values():
        parts = [f.code, f.zh, f.en, *re.split(r"[：/]", f.zh)]
        for part in parts:
            names.setdefault(_compact(part), f.code)
    return names


def _keyword_scores(text: str) -> dict[str, int]:
    """Per fault, the total length of its keywords found in the text."""
    compact = _compact(text)
    scores: dict[str, int] = {}
    for f in FAULTS.values():
        score = sum(len(k) for k in f.keywords if _compact(k) in compact)
        if score:
            scores[f.code] = score
    return scores


def _all_words() -> list[str]:
    words = [w for f in FAULTS.values() for w in (f.code, f.zh, *f.keywords)]
    return words + [a.zh for a in LOOK_ALIKES.values()]


def _suggest(text: str) -> str:
    close = difflib.get_close_matches(_normalize(text), _all_words(), n=3, cutoff=0.4)
    return f" — did you mean {' / '.join(repr(c) for c in close)}?" if close else ""


def parse_reason(text: str) -> str:
    """The fault code for a typed reason: a code, a zh/en name, or keywords like 死亡, 重复.

    Raises SandboxError when the text names no fault, names a look-alike (a correct entry),
    or fits two faults equally well.
    """
    compact = _compact(str(text))
    if not compact:
        raise SandboxError("the reason is empty; type a fault code or a few words such as 死亡, 重复")
    exact = _exact_names()
    if compact in exact:
        return exact[compact]
    for alike in LOOK_ALIKES.values():
        if compact in (_compact(alike.zh), _compact(alike.code), _compact(alike.en)):
            raise SandboxError(
                f"{text!r} is not an irregularity: {alike.why_zh}（{alike.why_en}）"
            )
    scores = _keyword_scores(text)
    if not scores:
        raise SandboxError(
            f"cannot tell which irregularity {text!r} means; use a code ({', '.join(FAULTS)}) "
            f"or a Chinese name such as 冒领、公职人员、重复发放" + _suggest(text)
        )
    best = max(scores.values())
    winners = sorted(code for code, score in scores.items() if score == best)
    if len(winners) > 1:
        names = "、".join(f"{FAULTS[c].zh} ({c})" for c in winners)
        raise SandboxError(f"the reason {text!r} fits more than one irregularity: {names}; be more specific")
    return winners[0]
