"""ISO 20022 return reasons (ExternalStatusReason codes) as a paying bank uses them for 退票.

Each code carries what an operator needs at the 失败处理 desk: what it means, what usually
causes it in a subsidy payout, and the fix to apply before any re-issue (补发).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bilingual:
    zh: str
    en: str


@dataclass(frozen=True)
class ReturnCode:
    code: str
    zh: str
    en: str
    cause: Bilingual
    what_to_do: Bilingual
    reissue_allowed: bool  # may the line be paid again once the fix is applied?


def _code(code: str, zh: str, en: str, cause: tuple[str, str], fix: tuple[str, str],
          reissue_allowed: bool = True) -> ReturnCode:
    return ReturnCode(code, zh, en, Bilingual(*cause), Bilingual(*fix), reissue_allowed)


RETURN_CODES: dict[str, ReturnCode] = {
    c.code: c
    for c in (
        _code(
            "AC01", "账号错误或不存在", "Invalid account number",
            ("卡号录入错误（校验位不符）或银行无此账户", "card number mistyped (check digit fails) or no such account at the bank"),
            ("核对社保卡或存折原件，更正卡号后补发", "check the card or passbook itself, correct the number, then re-issue"),
        ),
        _code(
            "AC04", "账户已销户", "Account closed",
            ("账户已销户，或旧卡已换新卡", "account closed, or the old card was replaced by a new one"),
            ("查询本人名下新卡或其他有效账户，改为该账户后补发", "find the holder's new card or another valid account in the same name, then re-issue to it"),
        ),
        _code(
            "AC06", "账户冻结或止付", "Account blocked",
            ("账户被冻结、密码锁定或已挂失", "account frozen, PIN-locked or reported lost"),
            ("通知本人持身份证到银行网点解锁、解挂或补卡，或改发本人其他有效账户", "ask the holder to unlock or replace the card at a branch with their ID, or pay another valid account of the same person"),
        ),
        _code(
            "AG01", "账户未激活", "Account not activated",
            ("社保卡金融账户尚未激活", "the social security card's financial account was never activated"),
            ("通知本人持身份证到银行网点激活金融账户（设置密码），激活后补发", "ask the holder to activate the financial account at a branch with their ID (sets the PIN), then re-issue"),
        ),
        _code(
            "BE01", "户名不符", "Name does not match account holder",
            ("收款人姓名与银行登记的户名不一致（常见同音字、错字）", "payee name differs from the name the bank holds (often a homophone or typo)"),
            ("以身份证和银行登记户名为准更正姓名后补发；若账户非本人所有，停止发放并核查代持", "correct the name to the ID card and bank record, then re-issue; if the account is someone else's, stop and check for proxy holding"),
        ),
        _code(
            "MD07", "账户持有人已死亡", "Account holder deceased",
            ("银行已知账户持有人死亡", "the bank knows the account holder has died"),
            ("停止发放，核实死亡时间，对死亡后发放的资金登记追回", "stop paying, verify the date of death, and flag money paid after death for recovery"),
            reissue_allowed=False,
        ),
        _code(
            "AM05", "重复支付", "Duplicate payment",
            ("同一笔发放（或其补发）已成功入账", "the same line (or a re-issue of it) was already credited"),
            ("不得再次补发；核对发放台账，确认已入账的那一笔", "do not re-issue; check the ledger for the line that was credited"),
            reissue_allowed=False,
        ),
        _code(
            "TM01", "超过截止时间", "Received after cut-off time",
            ("批次在银行当日截止时间之后送达", "the batch reached the bank after the day's cut-off"),
            ("在下一个工作日截止时间前重新提交", "submit again before the cut-off of the next business day"),
        ),
        _code(
            "NOCM", "久悬账户", "Dormant account",
            ("账户长期未发生交易，已转为久悬户", "no transactions for a long time; the account was made dormant"),
            ("通知本人到银行网点办理久悬账户激活，或改发本人其他有效账户", "ask the holder to reactivate the dormant account at a branch, or pay another valid account of the same person"),
        ),
        _code(
            "NARR", "其他原因", "Other reason (see narrative)",
            ("银行给出的其他原因，见附言", "another reason given by the bank in its narrative"),
            ("联系代发银行查明原因后处理", "ask the paying bank for the reason, then act on it"),
        ),
    )
}
