"""The seed article's five figures for Zhoukou, January–May 2022, beside the city run's.

Every simulated figure comes from the run's totals (sandbox/city/run.py); the article's are
the targets, scaled by the run's fraction for money and 人次 (a reduced run pays a share of
the people). Tolerances: money and 人次 within 5 %; the success rate and card share as the
village calibration holds them (sandbox/cli/calibrate.py); the share of listed programs paid
within 3 points (one program of the list is 2.2 points).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.city.run import CityRun
from sandbox.programs.listing import listed_programs

# 《周口日报》, June 2022 (the seed article; docs/calibration.md).
ARTICLE_PAID_YUAN = 12.38e8         # 12.38亿元
ARTICLE_PERSON_TIMES = 577.88e4     # 577.88万人次
ARTICLE_PROGRAMS_PAID = 63
ARTICLE_PROGRAMS_LISTED = 73
ARTICLE_CARD_SHARE = 0.985
ARTICLE_SUCCESS_RATE = 0.9738
RELATIVE_TOLERANCE = 0.05
RATE_TOLERANCE = {"success_rate": 0.005, "card_share": 0.003, "programs_paid_share": 0.03}


@dataclass(frozen=True)
class Figure:
    key: str
    zh: str
    en: str
    simulated: float
    target: float
    tolerance: float      # absolute, in the figure's own unit
    text_simulated: str
    text_target: str

    @property
    def ok(self) -> bool:
        return abs(self.simulated - self.target) <= self.tolerance


def _yi(yuan: float) -> str:
    return f"{yuan / 1e8:,.2f}亿元"


def _wan(count: float) -> str:
    return f"{count / 1e4:,.2f}万人次"


def city_figures(run: CityRun) -> list[Figure]:
    """The five figures of the article, each beside the run's, scaled by the run's fraction."""
    t, f = run.totals, run.fraction
    listed = listed_programs()
    paid = len(t.programs_paid & {p.code for p in listed})
    paid_share, article_share = paid / len(listed), ARTICLE_PROGRAMS_PAID / ARTICLE_PROGRAMS_LISTED
    success = t.first_credited / t.first_sent if t.first_sent else 0.0
    card = t.social_card_lines / t.first_sent if t.first_sent else 0.0
    money_target, times_target = ARTICLE_PAID_YUAN * f, ARTICLE_PERSON_TIMES * f
    return [
        Figure("paid", "累计发放补贴资金", "total paid", t.paid, money_target, RELATIVE_TOLERANCE * money_target,
               _yi(t.paid), _yi(money_target)),
        Figure("person_times", "惠及群众人次", "person-times paid", t.credited, times_target,
               RELATIVE_TOLERANCE * times_target, _wan(t.credited), _wan(times_target)),
        Figure("programs_paid_share", "已发放项目占清单", "programs paid, share of the list", paid_share, article_share,
               RATE_TOLERANCE["programs_paid_share"], f"{paid}/{len(listed)} = {paid_share:.1%}",
               f"{ARTICLE_PROGRAMS_PAID}/{ARTICLE_PROGRAMS_LISTED} = {article_share:.1%}"),
        Figure("card_share", "社保卡占比", "social security card share", card, ARTICLE_CARD_SHARE,
               RATE_TOLERANCE["card_share"], f"{card:.2%}", f"{ARTICLE_CARD_SHARE:.2%}"),
        Figure("success_rate", "补贴发放成功率", "payout success rate", success, ARTICLE_SUCCESS_RATE,
               RATE_TOLERANCE["success_rate"], f"{success:.2%}", f"{ARTICLE_SUCCESS_RATE:.2%}"),
    ]


def tolerance_text(figure: Figure) -> str:
    if figure.key in ("paid", "person_times"):
        return f"±{RELATIVE_TOLERANCE:.0%}"
    return f"±{figure.tolerance * 100:.1f}pt"
