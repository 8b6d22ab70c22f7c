"""Build the course notebooks from this file, clean and reproducible.

    .venv/bin/python scripts/make_notebooks.py          # write notebooks/*.ipynb
    .venv/bin/python scripts/make_notebooks.py --check  # fail if a committed one differs

Cells have fixed ids, no outputs and the python3 kernelspec, so a rebuild changes only what
this file changes. Each notebook runs with cwd = notebooks/ (JupyterLab and nbval both do).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from sandbox.course.lessons import STAGES, lesson_of, lesson_until

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def md(text: str) -> tuple[str, str]:
    return ("markdown", text.strip("\n"))


def code(text: str) -> tuple[str, str]:
    return ("code", text.strip("\n"))


def build(stem: str, cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    notebook = new_notebook(metadata={"kernelspec": KERNELSPEC,
                                      "language_info": {"name": "python"}})
    for number, (kind, source) in enumerate(cells, start=1):
        cell_id = f"{stem.replace('_', '-')[:40]}-{number:02d}"
        cell = new_markdown_cell(source, id=cell_id) if kind == "markdown" else \
            new_code_cell(source, id=cell_id)
        notebook.cells.append(cell)
    return notebook


def setup(stage: str, extra: str = "") -> tuple[str, str]:
    """The first code cell of notebooks 01–06: the trainee's session, resumed at this stage.

    Which notebook begins at which stage, and which scored stage ends its work, come from
    sandbox.course.lessons (and the stage order from the platform's stage declarations)."""
    notebook = lesson_of(stage)
    resume = f'resume_at("{stage}", s{extra})' if stage != STAGES[0] else f"# {stage} is the first stage"
    return code(f'''
LANG = "en"         # "zh": feedback and desk labels in Chinese / 反馈用中文
MODE = "practice"   # "self-test" (自测): scores and feedback sealed until s.end_self_test()
START_OVER = False  # True: begin this notebook afresh / 重新开始

from sandbox import Session
from sandbox.course import NotebookDisplay, resume_at, verdict_text, recorded_summary
from sandbox.errors import SandboxError

# Your work is kept in your own gradebook: after a kernel restart, run this cell again
# and you carry on where you left off (断点续做); once this notebook is done, it starts afresh.
# display=NotebookDisplay(): the banks' days pass on screen and reports show with charts.
s = Session.start("tutorial", trainee="me", lang=LANG, mode=MODE,
                  gradebook=True, label="{notebook}", until="{lesson_until(notebook)}",
                  resume=not START_OVER, display=NotebookDisplay())
{resume}
s.brief()
''')


STANDALONE = md("""
*This notebook stands alone.* It starts its own session on the tutorial county and lets a
careful reference operator play the earlier stages (`resume_at`), so you begin exactly where
this lesson starts. Nothing you do here changes the other notebooks. Your work here is kept:
if the kernel restarts, run the first cell again and carry on; set `START_OVER = True` to
begin the notebook afresh.
""")

# ---------------------------------------------------------------------------------------------
START_HERE = [
    md("""
# 00 · Start here — the 一卡通 and this sandbox

**Learning goals**
- say what the 惠民惠农补贴“一卡通” is and which leaks it exists to stop (冒领, 截留, 挪用);
- name the six stages of a payout and who does each one;
- understand how this sandbox works: scenario → world → platform → session, and why the
  answer key never reaches you;
- start a session, read its brief, and choose a scenario, a language and a mode.

Run each cell with **Shift+Enter**. Nothing here can break anything: every session is a
simulated county of synthetic people.
"""),
    md("""
## Why the one card exists

Counties pay dozens of subsidies (惠民惠农补贴) straight to citizens: farmland protection,
pensions, 低保, disability and old-age allowances… Each used to have its own passbook, its
own list and its own channel. Money leaked on the way: **梗阻** (blockages — money stuck between
offices), **冒领** (false claims, e.g. for people long dead), **截留** (withholding — a cadre
keeps villagers' cards) and **挪用** (diversion to other uses).

The reform puts every subsidy on **one card per person** — normally the financial account of
the third-generation social security card (社保卡) — paid through **one platform**. Henan's
goals, the 六个一: one list of policies (一张清单管制度), one platform for payout (一个平台管发放),
one public column (一个专栏管公开), one set of procedures (一套规程堵漏洞), one mechanism to aid
review (一项机制助审核), one card to receive subsidies (一张卡片领补贴).

**Zhoukou, first five months of 2022** (周口日报, June 2022):

| figure | value |
|---|---|
| subsidy paid through the 一卡通 | ¥1.238 billion (12.38亿元) |
| payments (人次) | 5.7788 million (577.88万人次) |
| programs catalogued / paid so far | 73 / 63 |
| share paid to social security cards (社保卡占比) | 98.5% |
| payout success rate (补贴发放成功率) | 97.38% |
| operators trained, online and offline | 486 |

You are training to be one of those operators (业务操作员).
"""),
    code("""
# What 97.38% means at Zhoukou's scale: every failed payment is a family still waiting.
payments = 5_778_800
success_rate = 0.9738
returned = payments * (1 - success_rate)
print(f"{returned:,.0f} payments came back (退票) and had to be fixed and re-issued (补发)")
print(f"average payment: ¥{1_238_000_000 / payments:,.2f}")
"""),
    md("""
## The workflow

Six stages, each with its own office and its own way of going wrong. The sandbox trains the
five after program set-up, one notebook each.
"""),
    code("""
from IPython.display import HTML, display
from sandbox.course import workflow_svg, sandbox_svg

display(HTML(workflow_svg()))
"""),
    md("""
| stage | who | what goes wrong | notebook |
|---|---|---|---|
| 信息采集、录入 collection and entry | village (村) and township (乡镇) clerks | typed IDs, card numbers and names with mistakes | 01 |
| 审核、公示 review and posting | township first review, department, finance; 7-day 公示 | paying the dead, public employees, cadres' relatives; duplicates; inflated land | 02 |
| 发放 payout | finance → treasury → paying bank (代发银行) | a request above the budget line (指标); money to the wrong card | 03 |
| 失败处理、补发、对账 failures, re-issue, reconciliation | department, finance, bank | returned lines (退票) left unresolved; paying twice; books that do not balance | 04 |
| 信息公开、监督检查 disclosure and supervision | public column, inspectors (督导组) | full ID numbers published; improper payments never recovered (追回) | 05 |
"""),
    md("""
## How the sandbox works

- A **scenario** (a YAML file a trainer writes) says which county, how many villages, which
  subsidies, and how often each irregularity happens.
- From it the sandbox generates a **world**: people, households, land, cards and the registries
  an operator can query (deaths, payroll, cadres, vehicles, land contracts…). The same scenario
  and seed always give the same world.
- The **platform** holds the world, the answer key and the simulated banks and clock. It is
  the only part that knows the truth.
- Your **session** sees only what an operator sees (forms, rosters, registry look-ups, bank
  result files) and can act (correct, approve, reject, refer, pay, re-issue, publish). The
  answer key never reaches you: in a class, the platform may even run on another machine.
- Every action is logged with simulated time; your report is computed from what you did, not
  from what your cells printed.
- **Time is real.** Money must reach the cards by the payment deadline (发放时限, the brief's
  `payment_deadline` and `days_left`). Home visits and the seven-day 公示 take simulated days
  out of that window, and the banks start from today on the clock.
- **Some steps cannot be undone** (不可撤销): closing review, sending payment, re-issuing (补发),
  publishing, the inspection report. Each needs `confirm=True` — without it nothing happens and
  the platform says what would become final. The brief lists them (`final_steps`).
"""),
    code("""
display(HTML(sandbox_svg()))
"""),
    md("""
## Choosing a scenario

`tutorial` is one village of about 200 people: quick, and a little richer in irregularities
than real life so that you meet every kind. `zhoukou-2022` is calibrated on the seed's figures.
They ship with the sandbox, so their names work from any folder (`sandbox scenarios` lists
them too). Trainers add their own files (see `notebooks/trainer/writing_a_scenario.ipynb`).
"""),
    code("""
import pandas as pd
from sandbox.scenario import load_scenario, shipped_scenarios

rows = []
for name in shipped_scenarios():
    sc = load_scenario(name)
    rows.append({"name": name, "title": sc.title.en, "标题": sc.title.zh, "mode": sc.mode})
pd.DataFrame(rows)
"""),
    md("""
## Modes and languages

- **practice** (练习): every submission answers at once — what was right, what was wrong, the
  evidence you could have used, and how to catch it next time.
- **self-test** (自测): your submissions are recorded, but scores and feedback stay sealed
  until you end the self-test with `s.end_self_test()`. On your own machine `mode="exam"`
  means the same: whoever owns the machine can open a self-test.
- **exam** (考试): only on your trainer's class server (`Session.connect(url, token)`):
  everything stays sealed until the trainer releases it. This is the only sealed exam.
- `lang="zh"` or `lang="en"` sets the language of feedback, desks and the report.
"""),
    code("""
from sandbox import Session

LANG = "en"   # or "zh"
s = Session.start("tutorial", trainee="me", lang=LANG, mode="practice")
s.brief()
"""),
    code("""
# The programs (补贴项目清单) this county pays this month: rule, standard, who receives it.
s.programs()[["program", "name", "department", "unit", "formula", "amount", "rate_per_mu"]]
"""),
    code("""
# The registries you may compare against (大数据比对), and how many rows each holds.
s.registries.list()
"""),
    md("""
### Exercise — who receives a per-household subsidy?

Some programs are paid **per household** (按户) to the head's card (户主), others **per person**
(按人) to the beneficiary's own card. A 低保 payment on the head's card is *not* 代领 — it is the
rule. Put the codes of the per-household programs in the set below and run the cell.
"""),
    code("""
my_answer = {"farmland_fertility", "dibao"}   # ← add or remove program codes

programs = s.programs()
per_household = set(programs.loc[programs["unit"] == "household", "program"])
missing, extra = per_household - my_answer, my_answer - per_household
if not missing and not extra:
    print("✓ right: these go to the head of household's card")
else:
    print("✗ not yet." + (f" Missing: {sorted(missing)}." if missing else "")
          + (f" Paid per person, not per household: {sorted(extra)}." if extra else ""))
    print("Hint: look at the 'unit' column of s.programs().")
"""),
    md("""
### Practice and self-test, side by side

The same decision in both modes. In a self-test the platform records it but keeps the verdict.
"""),
    code("""
from sandbox.course import resume_at

for mode in ("practice", "self-test"):
    trial = resume_at("review", Session.start("tutorial", trainee="demo", lang=LANG, mode=mode))
    first = trial.review.roster()["entry_id"].iloc[0]
    feedback = trial.review.decide(first, "approve")
    print(mode, "→", "details withheld" if feedback.get("withheld") or "score" not in feedback
          else f"interim review score {feedback.score:.1f}, {len(feedback.misses)} things still to do")
"""),
    md("""
## What goes wrong, and why it matters

- **A payment to the wrong person is money lost** (冒领, 截留): the dead do not complain, and a
  cadre holding ten villagers' cards collects ten subsidies.
- **A payment denied to the right person is a harm too**: an old woman without her pension
  this month, a 低保 family without food money. The sandbox scores both.
- **A mistyped digit is a delay**: the bank returns the line (退票), and someone has to find out
  why, fix it and pay again (补发). At Zhoukou's scale 2.62% is about 151,000 payments.

Next: **01_collection** — clean what the villages typed.

| notebook | stage |
|---|---|
| 01_collection | 信息采集、录入 |
| 02_review_and_posting | 审核、公示 — the heart of the course |
| 03_payout | 发放 |
| 04_failures_and_reconciliation | 失败处理、补发、对账 |
| 05_disclosure_and_supervision | 信息公开、监督检查 |
| 06_my_report | your report: what to practise next |
"""),
]

# ---------------------------------------------------------------------------------------------
COLLECTION = [
    md("""
# 01 · Collection and entry (信息采集、录入)

**Learning goals**
- read the rosters villages send (村级上报名单) and see how typing goes wrong;
- check an ID number (身份证号校验) and a card number (卡号校验, Luhn) and say *which* rule fails;
- clean a roster without "fixing" what you cannot know, and submit it.

**The context.** Village and township clerks collect each beneficiary on paper — name,
resident ID, card number, the quantity the subsidy depends on — then type it into Excel.
Full-width digits (１２３), stray spaces, 亩 and 分, "50.00元", an X typed as ×: the platform
must read all of it the same way. Worse are the wrong digits: a card number that fails its
check digit is returned by the bank (退票 AC01); an ID with the wrong check character cannot be
matched against any registry. Zhoukou's staff "gave up holidays to repeat the collection and
card activation again and again" (不厌其烦地重复操作) — because this is where payouts are won.
"""),
    STANDALONE,
    setup("collection"),
    md("""
## What the villages sent
"""),
    code("""
forms = s.collection.forms()
print(len(forms), "rows from", forms["village"].nunique(), "village(s)")
forms.head(10)
"""),
    code("""
# Each village's file as typed, with its Chinese headers (序号, 姓名, 身份证号, 卡号…).
files = s.collection.village_files()
village, frame = next(iter(files.items()))
print(village, list(frame.columns))
"""),
    code("""
# Look closely: spaces, full-width digits and units hide in the cells.
odd = forms[forms["id_number"].str.contains(r"[^0-9X]", regex=True)
            | forms["account_number"].str.contains(r"\\D", regex=True)
            | ~forms["amount"].str.fullmatch(r"\\d+\\.\\d\\d")]
odd[["entry_id", "name", "id_number", "account_number", "quantity", "amount"]].head(10)
"""),
    md("""
## Two checks every operator knows

**Resident ID (GB 11643)** — 18 characters: a 6-digit address code (for this county 4127xx, the
old 周口地区 codes, or 4116xx after 2000), the birth date, a 3-digit order code (odd = male), and
a check character computed from the other 17 (ISO 7064 MOD 11-2; it may be X).

**Bank card** — UnionPay numbers start with 62, have 16–19 digits, and end in a Luhn check digit.
One mistyped digit almost always breaks the check.
"""),
    code("""
from sandbox.course import check_id_number, check_card_number, parse_mu, parse_amount

print(check_id_number("412723194110051044"))
print(check_id_number("412723194110051045"))   # one character changed
print(check_card_number("6296 5312 5494 8150 296"))
print(parse_mu("３亩５分"), parse_amount("1,234.50元"))
"""),
    md("""
### Exercise 1 — find the IDs that fail

Write the entry ids of every row whose ID number fails the check. `check_id_number(value).valid`
tells you. The starter below finds only *some* of them — complete it (hint: clean the value
first with `clean_id_number`, so that spaces and full-width digits do not count as errors).
"""),
    code("""
from sandbox.course import clean_id_number

my_bad_ids = [row.entry_id for row in forms.itertuples()
              if not check_id_number(row.id_number).valid]          # ← improve this line

# Immediate feedback: compare with the platform's automatic checks on the same rows.
from sandbox.course import clean_roster
clean, issues = clean_roster(forms)
really_bad = set(issues.loc[issues["field"] == "id_number", "entry_id"])
print(f"you flagged {len(my_bad_ids)}, the check flags {len(really_bad)}")
print("✓ right" if set(my_bad_ids) == really_bad else
      f"✗ flagged but only badly typed: {sorted(set(my_bad_ids) - really_bad)[:8]}; "
      f"missed: {sorted(really_bad - set(my_bad_ids))}")
"""),
    code("""
# One way to do it: clean first, then check.
my_bad_ids = [row.entry_id for row in forms.itertuples()
              if not check_id_number(clean_id_number(row.id_number)).valid]
print("✓ right" if set(my_bad_ids) == really_bad else "✗ still different")
"""),
    md("""
## Clean the whole roster

`clean_roster` normalises every cell (full-width → half-width, spaces out, 亩/分 and 元 read)
and lists what is still invalid. It **never guesses** a digit: an ID with a wrong check
character stays as typed and goes to review (02), where the residents register (户籍) tells you
the right number. Guessing here would pay the wrong person.
"""),
    code("""
clean, issues = clean_roster(forms)
issues
"""),
    code("""
# What cleaning changed, row by row, for the columns the bank reads.
import pandas as pd

changed = (forms["account_number"] != clean["account_number"]) | (forms["id_number"] != clean["id_number"])
before = forms.loc[changed, ["entry_id", "id_number", "account_number"]]
after = clean.loc[changed, ["id_number", "account_number"]].add_suffix(" (clean)")
pd.concat([before, after], axis=1).head(10)
"""),
    md("""
## Without code: the collection desk

The same two steps with buttons: **校验 check rows** lists the problems, **提交名单 submit
roster** sends the cleaned roster. (Clicking it, or running the next code cell, records the
same submission.)
"""),
    code("""
from sandbox.ui import CollectionDesk

CollectionDesk(s)
"""),
    md("""
## Submit

In practice mode the feedback lists at once every cell that is not the clean form of what was
typed. There is no mark for format: the score comes from what those cells do later — a card
number left with spaces comes back from the bank, an ID in full-width digits matches no
registry (docs/scoring.md).
"""),
    code("""
feedback = s.collection.submit(clean)
feedback
"""),
    md("""
### Exercise 2 — what happens if you submit as typed?

Start a second session and submit the forms uncleaned. Both score 100 for now — nothing has
happened to anybody yet. Count the cells each left unclean; the difference shows at review and
payout.
"""),
    code("""
other = Session.start("tutorial", trainee="me-uncleaned", lang=LANG, mode=MODE)
as_typed = other.collection.submit(other.collection.forms())
print("cells left unclean — cleaned:", feedback["metrics"].get("cells_not_clean"),
      "· as typed:", as_typed["metrics"].get("cells_not_clean"))
"""),
    md("""
## What went wrong, and why it matters

- **Spaces and full-width digits** look harmless, but a platform that compares strings will
  find no registry match and the bank will reject the card number.
- **A wrong check character or Luhn digit** is a real typing error. Cleaning cannot know the
  right digit; review finds it in the registries (户籍, 社保卡/账户状态). Guessing a digit could
  send the money to someone else's card.
- **Every row you lose or break is a family not paid.** 97.38% success starts here: each of the
  2.62% returned lines costs a clerk a day and a family a week.

Next: **02_review_and_posting**.
"""),
]

# ---------------------------------------------------------------------------------------------
REVIEW = [
    md("""
# 02 · Review and posting (审核、公示)

**Learning goals**
- read one entry with every registry hit beside it (大数据比对) and decide: approve 通过,
  reject 不通过 (with a reason), correct 更正 a field, or refer for a home visit 入户核查;
- find each kind of irregularity with the registry that proves it;
- post the list for seven days (公示), answer villagers' objections, and close review — a
  final step (不可撤销), confirmed with `confirm=True`.

**The context.** The township does the first review, then the line department, then finance
(三级审核). Review compares every claimant with other offices' registries: deaths (死亡登记),
the state payroll (财政供养人员), cadres and their relatives (村干部近亲属), vehicles (车辆登记),
businesses (工商登记), land contracts (土地承包). Then the approved list is posted in the village
for seven days so neighbours can object. This is where 冒领 and 优亲厚友 are stopped — and where
an eligible family can be wrongly denied. Both count.
"""),
    STANDALONE,
    setup("review"),
    md("""
## The roster under review
"""),
    code("""
roster = s.review.roster()
print(len(roster), "entries")
roster.head()
"""),
    md("""
## One entry, with its evidence

`s.review.lookup(entry_id)` returns the entry, the automatic checks, and every registry row
that concerns it (by its ID, its card number and its name). Below: the first entry whose name
is not the one the residents register has for that ID — a homophone typo (同音字) the bank
would return as 户名不符 (BE01).
"""),
    code("""
residents = s.registries.residents.set_index("id_number")["name"]
name_differs = roster[roster["id_number"].map(residents).notna()
                      & (roster["id_number"].map(residents) != roster["name"])]
example = name_differs["entry_id"].iloc[0]
found = s.review.lookup(example)
print(found["entry"])
print(found["checks"])
for registry, rows in found["hits"].items():
    print("\\n==", registry)
    print(rows.to_string(index=False))
"""),
    md("""
## The four decisions

| decision | when | example |
|---|---|---|
| **approve 通过** | entitled, data right | |
| **reject 不通过** + reason | not entitled: the registry proves it | 冒领 dead payee, 公职人员, 优亲厚友, 重复发放, 资格不符 |
| **correct 更正** field, value | entitled, but a field is wrong | 户名不符 name, 身份证号, 卡号, 虚报面积 quantity, 超标准 amount, 代领 account |
| **refer 入户核查** | the registries cannot settle it | the report comes back in a few simulated days |

The reasons a rejection may give (the desk's dropdown shows the same list):
"""),
    code("""
import pandas as pd
from sandbox.irregularities import FAULTS

pd.DataFrame([{"code": f.code, "中文": f.zh, "English": f.en, "fix or stop": "correct" if f.correctable else "reject",
               "evidence": ", ".join(f.evidence), "rule": f.rule_en} for f in FAULTS.values()])
"""),
    md("""
## Without code: the review desk

One entry at a time with its registry hits. Choose **通过 approve**, **不通过 reject** (pick a
reason first), **更正 correct** (pick the field, type the right value) or **入户核查 refer**. In
practice mode the line under the buttons tells you at once whether the decision fits the
evidence. Every click calls `s.review.decide(...)` — the same thing code does — and a copy of
your decisions is saved to `my_decisions.csv` beside this notebook.
"""),
    code("""
from sandbox.ui import ReviewDesk, PostingDesk

desk = ReviewDesk(s, autosave="my_decisions.csv")
desk
"""),
    code("""
# What the platform has recorded so far (run again after clicking on the desk).
print(recorded_summary(s))
"""),
    md("""
## With code: one irregularity at a time

Each exercise builds a small table of decisions and submits it; the feedback right after
tells you, entry by entry, whether you were right. Later submissions for the same entry
replace earlier ones, so you can try again.

### Exercise 1 — 冒领: payments to the dead

The death register (死亡登记) lists who died and when. The rule: **nobody who died before the
period starts** may be paid. Someone who died *after* it started is still entitled this
month (a look-alike: rejecting them harms the family). The starter rejects everyone in the
register — refine it with the death date.
"""),
    code("""
period_start = pd.Timestamp(s.brief()["period"].split(" ")[0])
deaths = s.registries.deaths
hits = roster.merge(deaths[["id_number", "death_date"]], on="id_number")
to_reject = hits                                                  # ← keep only deaths before period_start

decisions = pd.DataFrame({"entry_id": to_reject["entry_id"], "decision": "reject", "reason": "dead_payee"})
if len(decisions):
    print(verdict_text(s.review.submit(decisions), decisions["entry_id"], LANG))
hits[["entry_id", "name", "program", "death_date"]]
"""),
    code("""
# One way to do it
to_reject = hits[pd.to_datetime(hits["death_date"]) < period_start]
decisions = pd.DataFrame({"entry_id": to_reject["entry_id"], "decision": "reject", "reason": "dead_payee"})
if len(decisions):
    print(verdict_text(s.review.submit(decisions), decisions["entry_id"], LANG))
"""),
    md("""
### Exercise 2 — 公职人员: the state payroll in means-tested aid

People on the state payroll (财政供养人员) and their households may not receive 低保, 特困 or the
disabled living subsidy. Pensions and farmland subsidies are **not** means-tested: a teacher
still gets the farmland subsidy for the family's land.
"""),
    code("""
MEANS_TESTED = {"dibao", "tekun", "disabled_living"}
payroll = set(s.registries.payroll["id_number"])
public = roster[roster["program"].isin(MEANS_TESTED) & roster["id_number"].isin(payroll)]
decisions = pd.DataFrame({"entry_id": public["entry_id"], "decision": "reject", "reason": "public_employee"})
if len(decisions):
    print(verdict_text(s.review.submit(decisions), decisions["entry_id"], LANG))
"""),
    md("""
### Exercise 3 — 优亲厚友: cadres favouring relatives

A 低保 claim from a cadre's close relative (村干部近亲属) must be declared and strictly reviewed; a
household with a car or a business usually does not qualify. Match the means-tested claims
against the relatives list, then check the hits in the vehicle and business registers.
"""),
    code("""
relatives = set(s.registries.cadre_relatives["id_number"])
owns = set(s.registries.vehicles["id_number"]) | set(s.registries.businesses["id_number"])
favoured = roster[roster["program"].isin(MEANS_TESTED) & roster["id_number"].isin(relatives)
                  & roster["id_number"].isin(owns) & ~roster["id_number"].isin(payroll)]
decisions = pd.DataFrame({"entry_id": favoured["entry_id"], "decision": "reject", "reason": "cadre_relative"})
if len(decisions):
    print(verdict_text(s.review.submit(decisions), decisions["entry_id"], LANG))
"""),
    md("""
### Exercise 4 — 重复发放: duplicates

Each ID may be paid once per program and period. De-duplicate on the **ID number**, never on
the name: two people called 王芳 are two people (同名不同人).
"""),
    code("""
repeated = roster[roster.duplicated(["id_number", "program"], keep="first")]
decisions = pd.DataFrame({"entry_id": repeated["entry_id"], "decision": "reject", "reason": "duplicate"})
if len(decisions):
    print(verdict_text(s.review.submit(decisions), decisions["entry_id"], LANG))
print("same name, different IDs (not duplicates):",
      roster.groupby("name")["id_number"].nunique().gt(1).sum())
"""),
    md("""
### Exercise 5 — 资格不符: not eligible

The basic pension needs age ≥ 60; the severe-disability care subsidy needs grade 1 or 2 on the
disability certificate (残疾人证). Ages come from the residents register, at the period start.
"""),
    code("""
born = pd.to_datetime(s.registries.residents.drop_duplicates("id_number").set_index("id_number")["birth_date"])

def age_of(id_number):
    # whole years at the period start; None when the ID is not in the residents register
    if id_number not in born.index:
        return None
    b = born[id_number]
    return period_start.year - b.year - ((period_start.month, period_start.day) < (b.month, b.day))

age = roster["id_number"].map(age_of)
grades = s.registries.disability.set_index("id_number")["grade"]
too_young = roster[(roster["program"] == "basic_pension") & (age < 60)]
no_grade = roster[(roster["program"] == "severe_disability_care") & ~roster["id_number"].map(grades).isin([1, 2])]
ineligible = pd.concat([too_young, no_grade])
decisions = pd.DataFrame({"entry_id": ineligible["entry_id"], "decision": "reject", "reason": "ineligible"})
if len(decisions):
    print(verdict_text(s.review.submit(decisions), decisions["entry_id"], LANG))
"""),
    md("""
### Exercise 6 — entitled, but a field is wrong: correct it (更正)

These people **are** entitled; rejecting them would be a harm. Correct the field and the
payment goes through:
- a name that differs from the residents register (户名不符, BE01 at the bank);
- a card number that is not the person's own card (卡号错误, or 代领/截留 — a cadre's account
  shared by several payees);
- an ID with a wrong check character: look the name up in the residents register;
- an amount above the standard (超标准) or a farmland area above the contract (虚报面积).
"""),
    code("""
from sandbox.course import check_id_number

decided = set(s.review.decisions()["entry_id"])
open_entries = roster[~roster["entry_id"].isin(decided)]
cards = s.registries.card_status
holder_of = cards.set_index("account_number")["id_number"]
usable = cards[~cards["status"].isin(["reported_lost", "closed"])].sort_values("kind", ascending=False)
own_card = usable.drop_duplicates("id_number").set_index("id_number")["account_number"]
ids_by_name = s.registries.residents.groupby("name")["id_number"].apply(list)
programs = s.programs().set_index("program")
land = s.registries.land_contracts.groupby("id_number")["area_mu"].sum()


def standard_amount(program, id_number):
    # the catalogue standard: a fixed amount, or the tier reached by age ("80:50;90:100;…")
    fixed, tiers = programs.at[program, "amount"], programs.at[program, "tiers"]
    if pd.notna(fixed):
        return float(fixed)
    if pd.notna(tiers) and age_of(id_number) is not None:
        reached = [float(v) for a, v in (t.split(":") for t in tiers.split(";")) if age_of(id_number) >= float(a)]
        return reached[-1] if reached else None
    return None


corrections = []
for e in open_entries.itertuples():
    if not check_id_number(e.id_number).valid:
        same_name = ids_by_name.get(e.name, [])
        if len(same_name) == 1:
            corrections.append((e.entry_id, "id_number", same_name[0]))
        continue
    if e.id_number in residents.index and residents[e.id_number] != e.name:
        corrections.append((e.entry_id, "name", residents[e.id_number]))
    if holder_of.get(e.account_number) != e.id_number and e.id_number in own_card.index:
        corrections.append((e.entry_id, "account_number", own_card[e.id_number]))
    standard = standard_amount(e.program, e.id_number)
    if standard is not None and abs(float(e.amount) - standard) > 0.005:
        corrections.append((e.entry_id, "amount", f"{standard:.2f}"))
    if e.program == "farmland_fertility" and e.id_number in land.index and float(e.quantity) > land[e.id_number] + 0.05:
        corrections.append((e.entry_id, "quantity", f"{land[e.id_number]:.1f}"))

decisions = pd.DataFrame(corrections, columns=["entry_id", "field", "value"]).assign(decision="correct")
if len(decisions):
    print(verdict_text(s.review.submit(decisions), decisions["entry_id"], LANG))
"""),
    md("""
### When the registries cannot settle it: refer (入户核查)

An ID with a bad check character and no unique name in the residents register, a claim you
doubt: send a team. The report comes back after a few simulated days; read it and decide.
"""),
    code("""
decided = set(s.review.decisions()["entry_id"])
unsure = roster[~roster["entry_id"].isin(decided) & ~roster["id_number"].map(lambda i: check_id_number(i).valid)]
if len(unsure):
    s.review.submit(pd.DataFrame({"entry_id": unsure["entry_id"], "decision": "refer"}))
visits = s.review.wait_for_visits()
visits[["entry_id", "returns_at", "finding_zh", "finding_en"]]
"""),
    code("""
# Read each report and decide. A genuine claim (属实) is approved; a report naming the right
# value is a correction.
final = []
for v in visits.itertuples():
    if "genuine" in v.finding_en:
        final.append({"entry_id": v.entry_id, "decision": "approve"})
    elif "The right " in v.finding_en:
        field, _, value = v.finding_en.split("The right ", 1)[1].partition(" is ")
        final.append({"entry_id": v.entry_id, "decision": "correct", "field": field, "value": value.rstrip(".")})
if final:
    final = pd.DataFrame(final)
    print(verdict_text(s.review.submit(final), final["entry_id"], LANG))
"""),
    md("""
### Everything else: approve

Entries you found nothing against are approved. (On the desk: click **通过** for each.)
"""),
    code("""
decided = set(s.review.decisions()["entry_id"])
rest = roster[~roster["entry_id"].isin(decided)]
feedback = s.review.submit(pd.DataFrame({"entry_id": rest["entry_id"], "decision": "approve"}))
print(f"approved {len(rest)}; interim review score: {feedback.score}")
"""),
    md("""
## Posting (公示) and objections

The approved list hangs in the village for seven days. Villagers object — sometimes rightly
(a dead man still on the list), sometimes not (envy of a neighbour's subsidy). For each
objection: **uphold 属实** (reject the entry), **dismiss 不属实** (keep it) or **refer 核查**.
Check the evidence before you answer: an objection is a lead, not a proof. How a villager
words it proves nothing either: a false objection can name a death or a car as precisely as
a true one, and a true one can be vague. Only the registries, or a home visit, tell them apart.

Without code: the posting desk below has the same buttons. Its **结束审核（不可撤销） close
review (final)** button acts only once you tick the confirm box beside it.
"""),
    code("""
posting = PostingDesk(s)
posting
"""),
    code("""
try:
    objections = s.review.post_notice()
except SandboxError:   # already posted from the desk above
    objections = s.review.objections()
text = "text_zh" if LANG == "zh" else "text_en"
objections[["objection_id", "entry_id", text, "response"]]
"""),
    md("""
### Exercise 7 — answer the objections

For each objection, look the entry up. If your review already decided it with evidence,
dismiss the objection; otherwise uphold it. The starter dismisses everything.
"""),
    code("""
for o in s.review.objections().itertuples():
    if o.response:
        continue
    current = s.review.lookup(o.entry_id)["decision"] or {}
    response = "dismiss"                    # ← decide from `current` and the lookup's evidence
    s.review.respond(o.objection_id, response)
s.review.objections()[["objection_id", "entry_id", "response"]]
"""),
    md("""
## Close review (结束审核 — final)

**结束审核后名单将送去发放，不能再改。** Closing review sends the approved list (with your
corrections) to payout, and it cannot be changed again. So the platform asks first: without
`confirm=True` nothing happens, and it says what would become final — and, if an approved
entry has not been on a full seven-day 公示 (approved, added or corrected after the notice went
up), that closing now is a violation (未经公示): post again with `s.review.post_notice()`.
"""),
    code("""
try:
    s.review.close()               # not confirmed: nothing happens, only the warning
except SandboxError as warning:
    print(warning)
"""),
    md("""
Checked? Then confirm. The feedback lists every entry you got wrong, with the evidence you
could have used and a tip. (确认后不可撤销 — this cannot be undone.)
"""),
    code("""
feedback = s.review.close(confirm=True)
feedback
"""),
    md("""
## What went wrong, and why it matters

- **Approving the dead (冒领) or a public employee's 低保** loses the money for good: nobody
  complains, and the audit finds it a year later (监督检查, notebook 05).
- **Rejecting an entitled person** — a same-name neighbour taken for a duplicate, a typo treated
  as fraud — leaves a family without its subsidy. Correct (更正) what is wrong; reject only
  what the evidence proves.
- **A name or card typo approved as typed** comes back from the bank as 退票 (notebook 04).
- **An objection answered without looking** either keeps fraud on the list or punishes an honest
  family for a neighbour's envy.

Next: **03_payout**.
"""),
]

# ---------------------------------------------------------------------------------------------
PAYOUT = [
    md("""
# 03 · Payout (发放)

**Learning goals**
- build the payment request (支付申请) from the approved list and check it against the budget
  line (指标);
- send it to the paying banks (代发银行) and watch the simulated days pass;
- read the banks' result files (回盘文件) and the payout KPIs: success rate, social security
  card share, days to pay.

**The context.** Finance sends the request through treasury payment (国库集中支付) to the
contracted banks. Each bank credits the accounts within its agreed time, sends each holder an
SMS, and returns the lines it could not pay (退票) with an ISO 20022 reason code. Banks do not
work on holidays (端午节 is in this scenario's calendar) and have a daily cut-off. Zhoukou paid
97.38% first time and 98.5% of its money to social security cards — the goals here too.
"""),
    STANDALONE,
    setup("payout"),
    md("""
## The payment request

One line per approved entry: per-household programs go to the head's card, per-person programs
to the beneficiary's. The amounts include your corrections from review. Building the draft is
only a look (查看草稿): it changes nothing, and works while review is still open.
"""),
    code("""
import pandas as pd

request = s.payout.build_request()
print(len(request), "lines, total ¥", f"{request['amount'].sum():,.2f}")
request.head()
"""),
    md("""
### Exercise 1 — does the request fit the budget line (指标)?

Sum the request per program and compare with `s.payout.budget()`. The platform refuses a
request that would pay more than the budget line.
"""),
    code("""
budget = s.payout.budget().set_index("program")["allocated"]
requested = request.groupby("program")["amount"].sum()           # ← per program
over = requested[requested > budget.reindex(requested.index)]
print("over budget:", list(over.index) or "none")
check = pd.DataFrame({"requested": requested, "allocated": budget})
print("✓ every program fits its budget line" if (check["requested"] <= check["allocated"]).all()
      else "✗ some programs exceed their budget line: fix review before paying")
check
"""),
    md("""
## What the platform refuses

A request with a mistake is rejected whole — nothing is sent — and the message names the row.
Try it: the same line twice.
"""),
    code("""
broken = pd.concat([request, request.head(1)])
try:
    s.payout.submit(broken)
except SandboxError as error:
    print(error)
"""),
    md("""
## Without code: the payment-request desk

**生成支付申请草稿 build draft request** shows lines and money per program and bank beside the
budget; **发送支付申请（不可撤销） send payment (final)** sends it once its confirm box is
ticked; **银行回盘 bank results** shows what came back.
"""),
    code("""
from sandbox.ui import PaymentDesk

PaymentDesk(s)
"""),
    md("""
## Send it (发送支付申请 — final)

**支付申请发出后钱会打到各人卡上，不能撤回。** Once sent, the money goes to the cards and cannot be
called back, so sending needs `confirm=True` (without it the platform only says so), and review
must be closed first. Check the request against the budget, then send.

The banks' simulated days pass (a progress bar, then a chart of credited and failed lines per
day), starting from today on the clock: every day spent on visits and 公示 is already gone
from the payment deadline (`s.brief()["deadline"]`). If you already sent it from the desk,
this cell only shows the results.
"""),
    code("""
print(s.brief()["deadline"])
if s.payout.results().empty:
    sent = s.payout.submit(request, confirm=True)
    print(sent)
results = s.payout.results()
results["status"].value_counts()
"""),
    code("""
# Each bank's result file (回盘文件), as the bank returns it.
for bank, frame in s.payout.result_files().items():
    print(bank, len(frame), "lines")
frame.head()
"""),
    code("""
s.payout.timeline()
"""),
    md("""
### Exercise 2 — compute the success rate yourself

The first-pass success rate (首次发放成功率) is credited lines ÷ settled lines of the first request.
Compute it from `results` and compare it with the platform's KPI.
"""),
    code("""
first = results[results["run"] == 1]
settled = first[first["status"] != "pending"]
my_rate = (settled["status"] == "credited").mean()             # ← your formula
kpis = s.payout.kpis()
print(f"mine {my_rate:.2%} · platform {kpis['first_pass_success_rate']:.2%} · Zhoukou 2022: 97.38%")
print("✓ same" if abs(my_rate - kpis["first_pass_success_rate"]) < 1e-4 else "✗ different: which lines count?")
kpis
"""),
    md("""
## Why lines come back

The codes a bank returns, what usually causes each in a subsidy payout, and what to do:
"""),
    code("""
from sandbox.bank import RETURN_CODES

pd.DataFrame([{"code": c.code, "中文": c.zh, "English": c.en, "cause": c.cause.en, "what to do": c.what_to_do.en}
              for c in RETURN_CODES.values()])
"""),
    code("""
returned = results[results["status"] == "returned"]
returned[["line_id", "payee_name", "bank", "amount", "code", "reason_zh", "reason_en"]]
"""),
    md("""
## What went wrong, and why it matters

- **A card that was never activated (AG01)** is the most common return: the reform moved money
  to social security cards faster than villagers went to the bank to activate them. Zhoukou's
  staff went door to door for 社保卡激活.
- **Typos approved in review** (names, card numbers) come back as BE01 and AC01: each one a
  delay for a family and a day of work for a clerk.
- **A request above the budget line** cannot be paid at all: review errors (超标准, 虚报面积)
  show up here as money the budget does not have.

Next: **04_failures_and_reconciliation** — fix what came back, re-issue, and balance the books.
"""),
]

# ---------------------------------------------------------------------------------------------
FAILURES = [
    md("""
# 04 · Failures, re-issue and reconciliation (失败处理、补发、对账)

**Learning goals**
- find out why each returned line (退票) came back, from its code and the payee's cards;
- choose the fix: activate the card (激活), correct the name (更正户名), pay the person's other
  account, or stop and recover (停发追回) when the holder has died;
- re-issue (补发) so that nothing is paid twice, and reconcile to the fen:
  allocated = paid + returned + pending + unspent (指标 = 已发放 + 退回 + 在途 + 结余).

**The context.** A failed, wrong or missed payment (发放失败/错发/漏发) is verified by the
department, re-reviewed by finance and paid again. A re-issued line is linked to the line it
replaces (`source_line_id`), so the same subsidy can never be paid twice. At the end of the
period the books must balance exactly: a fen unexplained is where 截留 and 挪用 hide.

*In this notebook a hurried colleague approved typed names and card numbers as they were, so
the banks returned several lines — your job is to clear them.*
"""),
    STANDALONE,
    setup("failures", ', review="typos_left"'),
    code("""
import pandas as pd

failures = s.failures.table()
failures
"""),
    md("""
## Look before you fix

`s.failures.card_status(line_id)` shows every card and account of the payee as the card
register has it **now** (`status_now`), with the name the bank holds (`holder_name`).
"""),
    code("""
first = failures["line_id"].iloc[0]
print(failures.iloc[0][["code", "reason", "what_to_do"]].to_string())
s.failures.card_status(first)
"""),
    md("""
| code | the usual cause | the fix (`s.failures.act(line_id, action, value)`) |
|---|---|---|
| AG01 账户未激活 | social security card never activated | `activate_card` — the holder goes to a branch; re-issue after |
| AC06 账户冻结 | PIN-locked, frozen, reported lost | `activate_card` if the branch can unlock it, else `pay_other_account` |
| BE01 户名不符 | name typed with a homophone | `correct_name` with the bank's holder name |
| AC01 账号错误 | card number mistyped | `pay_other_account` with the person's own card from the register |
| AC04 已销户 | card closed or replaced | `pay_other_account` with the new card |
| MD07 持卡人死亡 | the holder has died | `stop_recover` — never re-issue |

### Exercise 1 — choose a fix for every line

Complete `choose_fix`. It receives one line of the failure table and that payee's cards, and
returns `(action, value)`. The starter only handles AG01.
"""),
    code("""
def choose_fix(line, cards):
    this_card = cards[cards["account_number"] == line["account_number"]]
    if line["code"] == "AG01":
        return "activate_card", ""
    # ← BE01: the bank's holder name is in this_card["holder_name"]
    # ← AC01/AC04: another usable card of the same person is in `cards`
    # ← MD07: stop and recover
    return None


def apply_fixes(fixer):
    for line in s.failures.table().to_dict("records"):
        if line["fix"]:
            continue
        chosen = fixer(line, s.failures.card_status(line["line_id"]))
        if chosen:
            try:
                s.failures.act(line["line_id"], *chosen)
            except SandboxError as error:
                print(line["line_id"], "✗", error)
    return s.failures.table()[["line_id", "code", "fix"]]

apply_fixes(choose_fix)
"""),
    code("""
# One way to do it
def choose_fix(line, cards):
    this_card = cards[cards["account_number"] == line["account_number"]]
    usable = cards[(cards["account_number"] != line["account_number"])
                   & ~cards["status_now"].isin(["reported_lost", "closed"])]
    if line["code"] == "MD07":
        return "stop_recover", ""
    if line["code"] == "BE01" and len(this_card):
        return "correct_name", this_card["holder_name"].iloc[0]
    if len(this_card) and this_card["status_now"].iloc[0] in {"not_activated", "pin_locked", "frozen", "dormant"}:
        return "activate_card", ""
    if len(usable):
        return "pay_other_account", usable["account_number"].iloc[0]
    return None

apply_fixes(choose_fix)
"""),
    md("""
## Without code: the failure desk

One returned line at a time with the payee's cards; pick the fix, type the name or card
number when the fix needs one, **处理 apply**, then **补发（不可撤销） re-issue (final)** every
fixed line at once, once its confirm box is ticked.
"""),
    code("""
from sandbox.ui import FailureDesk, ReconciliationDesk

FailureDesk(s)
"""),
    md("""
## Re-issue (补发)

Each fixed line gets a new line id (`L00010-R1`) that points to its source. Activation takes a
few days at the branch, so the re-issue waits for it. **补发后钱会打到卡上，不能撤回。** A
re-issue sends money and cannot be called back: it needs `confirm=True`.
"""),
    code("""
if (s.failures.table()["fix"] != "").any():
    print(s.failures.reissue(confirm=True))
left = s.failures.table()
print("still returned:", len(left))
s.payout.results()[["line_id", "source_line_id", "payee_name", "status", "code"]].tail(len(failures))
"""),
    code("""
s.payout.kpis()
"""),
    md("""
## Reconciliation (对账)

Per program: **allocated = paid + returned + pending + unspent**, to the fen. Count each entry
once, by its **latest** line: a line returned and then re-issued and credited is paid, not
returned.

### Exercise 2 — fill in the statement
"""),
    code("""
results = s.payout.results()
latest = results.drop_duplicates("entry_id", keep="last")       # ← why keep the last line?
statement = s.reconciliation.template().set_index("program")
for status, column in (("credited", "paid"), ("returned", "returned"), ("pending", "pending")):
    sums = latest[latest["status"] == status].groupby("program")["amount"].sum()
    statement[column] = sums.reindex(statement.index, fill_value=0.0).round(2)
statement["unspent"] = (statement["allocated"] - statement["paid"] - statement["returned"]
                        - statement["pending"]).round(2)
statement
"""),
    md("""
Without code: the reconciliation desk has one row per program; **银行回盘汇总 bank totals** sums
the banks' lines for you to copy. Submitting (from the desk or the next cell) closes payout.
"""),
    code("""
ReconciliationDesk(s)
"""),
    code("""
if "reconciliation" not in s.brief()["stages_done"]:
    feedback = s.reconciliation.submit(statement.reset_index())
    print(feedback)
"""),
    md("""
## What went wrong, and why it matters

- **A returned line left alone** is a family never paid: the payout score counts its money as
  denied, and every day a re-issue reaches the card after the deadline (发放时限).
- **Re-issuing without the fix** only earns a second return; **re-issuing to someone else's
  card** is 代领 by another name — the platform refuses an account not in the payee's name.
- **A dead holder's line re-issued** is 冒领 with the platform's help: stop and recover.
- **Counting the returned line and its re-issue both** double-counts the money: the books stop
  balancing, and that is exactly where 截留 and 挪用 hide.

Next: **05_disclosure_and_supervision**.
"""),
]

# ---------------------------------------------------------------------------------------------
DISCLOSURE = [
    md("""
# 05 · Disclosure and supervision (信息公开、监督检查)

**Learning goals**
- publish who received what in the public column (一个专栏管公开) with personal data masked,
  and check a table for leaks before it goes out;
- inspect a paid period as the supervision team does (督导组): compare the payments with the
  registries as they stand weeks later, and name each improper payment, the money to recover
  (追回), the rectification (整改), who is responsible and by when.

**The context.** Publishing results lets villagers check each other — the cheapest control
there is. But a published full ID or card number, a phone number or a house address is a
privacy breach that can itself be used for fraud: only masked numbers go out
(412723********1044). Inspectors come weeks later; by then the death register has caught up.
Zhoukou's inspectors "did not talk about results, only looked at problems"
(不讲成绩，只看问题), and pinned each problem on a named person (板子打到具体人身上).

*In this notebook the township reviewed **without** registry checks (no 大数据比对), so improper
payments went out — the inspection has real work to do.*
"""),
    STANDALONE,
    setup("disclosure", ', review="no_registry_checks"'),
    md("""
## The draft publication

`s.disclosure.draft()` is the period's payments **with full personal data** — phone, address,
full ID and card numbers. Never publish it as it is. `s.disclosure.policy()` says what the
scenario allows (how many ID characters to keep at each end, card digits, names).
"""),
    code("""
import pandas as pd

draft = s.disclosure.draft()
policy = s.disclosure.policy()
print(policy)
draft.head()
"""),
    md("""
### Exercise 1 — find the leaks before you publish

`check_published(table, paid, policy)` lists every leak with its row and column. The starter
masks only the ID numbers: run it and read what is still wrong.
"""),
    code("""
from sandbox.course import check_published, mask_id_number, publish_table
from sandbox.scenario import Masking

rules = Masking(**policy)
mine = draft.copy()
mine["id_number"] = mine["id_number"].map(lambda v: mask_id_number(v, rules))   # ← not enough
leaks = check_published(mine, draft, rules)
print(len(leaks), "leaks, e.g.:")
for leak in leaks[:6]:
    print(" ", leak)
"""),
    md("""
`publish_table` keeps only the columns a public column may show (village, name, masked ID and
card, bank, program, amount…), masks the numbers, drops phones, and cuts addresses at the
village. Check its result the same way:
"""),
    code("""
public = publish_table(draft, rules)
print("leaks:", len(check_published(public, draft, rules)))
public.head()
"""),
    md("""
**公开后名单挂在公开专栏，不能撤回。** A publication stays in the public column: it cannot be
withdrawn, so `publish` needs `confirm=True` (without it nothing is published). Check the
leaks first.
"""),
    code("""
feedback = s.disclosure.publish(public, confirm=True)
feedback
"""),
    md("""
## Supervision (监督检查)

The inspection starts some weeks after payout. Compare the period's credited payments with
the registries **as they stand on the inspection date** (`s.supervision.registries(name)`), and
write one finding per improper payment: `line_id`, `fault` (a code or its Chinese name),
`recover_amount`, `rectification` (整改要求), `responsible` (整改责任单位), `due_date` (整改期限).
"""),
    code("""
dates = s.supervision.start()
print(dates)
payments = s.supervision.payments()
paid = payments[payments["status"] == "credited"]
paid.head()
"""),
    md("""
### Exercise 2 — find the improper payments

The starter looks only at the death register. Add the checks from notebook 02 on the paid
lines: the state payroll and cadres' relatives with a car or business in means-tested aid; the
same ID paid twice in a program. The feedback names every improper payment you missed, with
the registry that shows it.
"""),
    code("""
period_start = pd.Timestamp(s.brief()["period"].split(" ")[0])
deaths = s.supervision.registries("deaths")
died_before = set(deaths.loc[pd.to_datetime(deaths["death_date"]) < period_start, "id_number"])

def finding(line, fault):
    return {"line_id": line["line_id"], "fault": fault, "recover_amount": line["amount"],
            "rectification": "停发并追回资金，补充审核", "responsible": "乡镇审核岗",
            "due_date": dates["rectification_due_by"]}

findings = [finding(line, "dead_payee") for line in paid.to_dict("records")
            if line["payee_id_number"] in died_before]
# ← add: payroll, cadre relatives with a vehicle or business, duplicates
pd.DataFrame(findings)
"""),
    code("""
# One way to do it
MEANS_TESTED = {"dibao", "tekun", "disabled_living"}
payroll = set(s.supervision.registries("payroll")["id_number"])
owners = set(s.supervision.registries("vehicles")["id_number"]) | set(s.supervision.registries("businesses")["id_number"])
favoured = set(s.supervision.registries("cadre_relatives")["id_number"]) & owners

findings = []
for line in paid.to_dict("records"):
    person, means_tested = line["payee_id_number"], line["program"] in MEANS_TESTED
    if person in died_before:
        findings.append(finding(line, "dead_payee"))
    elif means_tested and person in payroll:
        findings.append(finding(line, "public_employee"))
    elif means_tested and person in favoured:
        findings.append(finding(line, "cadre_relative"))
flagged = {f["line_id"] for f in findings}
twice = paid[paid.duplicated(["payee_id_number", "program"], keep="first")]
findings += [finding(line, "duplicate") for line in twice.to_dict("records") if line["line_id"] not in flagged]
findings = pd.DataFrame(findings, columns=["line_id", "fault", "recover_amount", "rectification",
                                           "responsible", "due_date"])
findings
"""),
    md("""
The inspection report is final (**检查报告提交后即为定稿，不能再改**): submit it once, with
`confirm=True`. Read the misses — ages (资格不符), land areas (虚报面积) and amounts (超标准) need
the residents register, the land contracts and the program standards, exactly as in review.
"""),
    code("""
feedback = s.supervision.submit(findings, confirm=True)
feedback
"""),
    md("""
## What went wrong, and why it matters

- **A full ID, card or phone number in the public column** can be copied to open accounts or
  claim in someone's name: the privacy count in your report is a real harm, not a formality.
- **Not publishing at all** removes the villagers' check — the 公开 of the 六个一.
- **Review without registries** pays the dead, the payroll and cadres' relatives; the inspection
  then has to recover the money (追回) from people who may have spent it. Stopping it in review
  costs a look-up; recovering it costs months.
- **An inspection that only confirms the list** misses what review missed. Every finding names
  the money to recover and who must rectify, by when.

Next: **06_my_report**.
"""),
]

# ---------------------------------------------------------------------------------------------
REPORT = [
    md("""
# 06 · My report (培训报告)

**Learning goals**
- read a report: stage scores, the KPIs beside Zhoukou's, money stopped and money let through,
  families wrongly denied, privacy slips;
- read the misses grouped by irregularity, with the evidence and a tip, and pick what to
  practise next;
- save the report as a self-contained HTML file to keep or hand in.

**The context.** Zhoukou's 督导 "looked at problems, not at results". Your report is built the
same way: every deduction names the record, the evidence that was available, the rule and how
to catch it next time. In a class your trainer sees the same data for everyone (notebooks in
`trainer/`), to plan tomorrow's practice on what the class missed.
"""),
    md("""
Here two attempts at the same county side by side: a careful operator's, played through every
stage, and a hurried one that approved everything. Replace either with your own session from
the earlier notebooks (each `s` has `s.report()`).
"""),
    setup("report"),
    code("""
careful = s.report()
careful
"""),
    code("""
from sandbox.personas import play_approve_all

hurried_session = Session.start("tutorial", trainee="hurried", lang=LANG, mode=MODE)
play_approve_all(hurried_session)
hurried = hurried_session.report()
print(hurried.text())
"""),
    md("""
## The KPIs beside Zhoukou's
"""),
    code("""
import pandas as pd

zhoukou = {"first_pass_success_rate": 0.9738, "social_security_card_share": 0.985}
table = pd.DataFrame({"careful": careful.data["kpis"], "hurried": hurried.data["kpis"]})
table["Zhoukou 2022"] = pd.Series(zhoukou)
table
"""),
    md("""
### Exercise — what should the hurried operator practise first?

Look at `hurried.data["misses"]`: each has a `fault` code and an `amount`. Which irregularity
let the most money through? Compare your answer with the report's own advice.
"""),
    code("""
misses = pd.DataFrame(hurried.data["misses"])
by_fault = misses[misses["fault"] != ""].groupby("fault")["amount"].sum().sort_values(ascending=False)
my_pick = by_fault.index[0] if len(by_fault) else None         # ← your reasoning here
print("my pick:", my_pick)
print("the report advises:")
for line in hurried.data["practise_next"]:
    print(" -", line)
by_fault
"""),
    md("""
## Keep a copy

`save_html` writes one self-contained file (charts included). Below it goes to a temporary
folder; use `careful.save_html("my_report.html")` to keep it beside this notebook.
"""),
    code("""
import tempfile
from pathlib import Path

saved = careful.save_html(Path(tempfile.mkdtemp()) / "my_report.html")
print(saved.name, saved.stat().st_size, "bytes")
"""),
    md("""
## What went wrong, and why it matters

- **Money let through** (放过的问题资金) is lost: payments to the dead, to public employees, to
  cadres' relatives, to a cadre's card.
- **Wrongful denials** (错误拒绝) are families without their subsidy: they do not show in the
  money totals, which is why the report counts them separately.
- **First-pass success** below Zhoukou's 97.38% means typos and unactivated cards that review
  and collection could have caught.

Practise what your report names first, then try `Session.start("zhoukou-2022")` or a
scenario your trainer wrote for the class.
"""),
]

# ---------------------------------------------------------------------------------------------
WRITING_A_SCENARIO = [
    md("""
# Trainer · Writing a scenario

**Goals**: copy a scenario, change what the class should practise (e.g. more 冒领 after last
month's audit), validate it, and check that it still plays.

A scenario is a YAML file: calendar (the simulated "today" and the payment period), region
(counties, townships, villages, households), irregularity rates, review rules (posting days,
home-visit capacity), masking policy. `docs/authoring.md` describes every field;
`sandbox validate FILE` and `sandbox preview FILE` do from the command line what this notebook
does in Python.
"""),
    code("""
from pathlib import Path
import tempfile
import yaml

from sandbox.scenario import load_scenario, scenario_path
from sandbox.errors import SandboxError

source = scenario_path("tutorial")  # a shipped scenario; `sandbox scenarios copy tutorial my.yaml` copies it
text = source.read_text(encoding="utf-8")
print(text)
"""),
    md("""
## Raise the rate of payments to the dead

Edit the YAML as data and write the copy to a scratch folder (in class, save it beside the
class file, whose `scenario:` names it).
"""),
    code("""
data = yaml.safe_load(text)
data["name"] = "tutorial-dead-payees"
data["title"] = {"zh": "练习：死亡人员冒领", "en": "Practice: payments to the dead"}
data["irregularities"]["dead_payee"] = 0.06
scratch = Path(tempfile.mkdtemp())
mine = scratch / "tutorial-dead-payees.yaml"
mine.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
scenario = load_scenario(mine)
print(scenario.name, scenario.irregularities.dead_payee)
"""),
    md("""
## A mistake gets a clear message

The loader names the file, the line and the field, and what it expected.
"""),
    code("""
wrong = {**data, "irregularities": {**data["irregularities"], "dead_payee": "lots"}}
broken = scratch / "broken.yaml"
broken.write_text(yaml.safe_dump(wrong, allow_unicode=True, sort_keys=False), encoding="utf-8")
try:
    load_scenario(broken)
except SandboxError as error:
    print(error)
"""),
    md("""
## Play it with the reference personas

A careful operator should still score well; one who approves everything should not.
"""),
    code("""
from sandbox import Session
from sandbox.personas import PERSONAS

for name in ("perfect", "approve-all"):
    session = Session.start(mine, trainee=name, lang="en")
    PERSONAS[name](session)
    print(f"{name:12s}", session.report().short_text())
"""),
]

PREVIEWING_DIFFICULTY = [
    md("""
# Trainer · Previewing difficulty

**Goals**: before class, see how hard a scenario is — how many irregularities of each kind a
trainee will meet, and how the reference personas score — so that a careful trainee can do
well and a careless one cannot.
"""),
    code("""
import pandas as pd
from sandbox import Session
from sandbox.personas import PERSONAS

SCENARIO = "tutorial"  # a shipped scenario, by name; or the path of your own file
"""),
    md("""
## What the roster holds

The trainer's view of a world: the platform's answer key summarised by irregularity. (Only
trainers open this; a trainee's session never carries it.)
"""),
    code("""
from sandbox.platform.attempt import open_attempt

attempt = open_attempt(SCENARIO)
key = attempt.data.key
summary = key.assign(kind=key["fault"].where(key["fault"] != "", key["look_alike"].where(key["look_alike"] != "", "clean")))
summary.groupby("kind").agg(entries=("entry_id", "count"), money_at_stake=("money_at_stake", "sum")).sort_values("entries", ascending=False)
"""),
    md("""
## How the personas score

Each persona plays every stage through the public Session API, like a trainee.
"""),
    code("""
rows = []
for name, play in PERSONAS.items():
    session = Session.start(SCENARIO, trainee=name, lang="en")
    play(session)
    report = session.report()
    rows.append({"persona": name, "total": report.score, **report.data["stages"],
                 "money let through": report.data["kpis"].get("money_let_through"),
                 "wrongful denials": report.data["kpis"].get("wrongful_denials")})
pd.DataFrame(rows).set_index("persona")
"""),
    md("""
A good training scenario shows a clear gap between `perfect` and `approve-all`, and between
`perfect` and `no-registry-checks` (what 大数据比对 adds). If `reject-suspicious` scores close to
`perfect`, the scenario rewards rejecting on suspicion: look at the look-alikes in the table
above (同名不同人 same name, 死亡在发放期之后 late death, 户主代领 head's card) — a class needs
enough of them to learn that suspicion is not evidence.
"""),
]

MONTHLY = [
    md("""
# 07 · Monthly changes (月度增减变动)

**Learning goals**
- work the 增减变动 of each later month: stop reports, new applications, tier and card changes;
- check every standing payee against that month's registries (`s.registries` shows the month open now);
- stop a payee who died, and recover (追回) what was paid after the death.

This lesson needs a scenario with several pay periods: Zhoukou 2022 has three (May, June, July).
"""),
    code('''
LANG = "en"
from sandbox import Session
from sandbox.course import NotebookDisplay, resume_at

s = Session.start("zhoukou-2022", trainee="me", lang=LANG, gradebook=True,
                  label="07_monthly_changes", until="monthly", display=NotebookDisplay())
resume_at("monthly", s)
s.monthly.brief()
'''),
    code('''
changes = s.monthly.changes()
roster = s.monthly.roster()
changes[["change_id", "kind", "name", "program", "amount", "evidence_en"]].head(10)
'''),
    md("Each month: payees the death register lists as dead before the month began are stopped; "
       "what was paid for months that began after the death is recovered."),
    code('''
import pandas as pd
while not (month := s.monthly.brief())["done"]:
    start = pd.Timestamp(month["period_start"])
    deaths = s.registries.get("deaths")
    died = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"])))
    history = s.monthly.history()
    rows = []
    for entry in s.monthly.roster().to_dict("records"):
        when = died.get(entry["id_number"])
        if when is not None and when < start:
            paid = history[(history["entry_id"] == entry["entry_id"]) & (history["status"] == "credited")]
            after = paid[pd.to_datetime(paid["month_start"]) > when]["amount"].sum() if len(paid) else 0.0
            rows.append({"id": entry["entry_id"], "decision": "stop_recover" if after else "stop",
                         "recover_amount": f"{after:.2f}"})
    pending = s.monthly.changes()
    rows += [{"id": c, "decision": "approve"} for c in pending.loc[pending["status"] == "pending", "change_id"]
             if c not in {r["id"] for r in rows}]
    if rows:
        s.monthly.decide(pd.DataFrame(rows))
    result = s.monthly.pay()
result["feedback"]
'''),
]


NOTEBOOK_CELLS = {
    "00_start_here": START_HERE,
    "01_collection": COLLECTION,
    "02_review_and_posting": REVIEW,
    "03_payout": PAYOUT,
    "04_failures_and_reconciliation": FAILURES,
    "05_disclosure_and_supervision": DISCLOSURE,
    "06_my_report": REPORT,
    "07_monthly_changes": MONTHLY,
    "trainer/writing_a_scenario": WRITING_A_SCENARIO,
    "trainer/previewing_difficulty": PREVIEWING_DIFFICULTY,
}


def render(stem: str) -> str:
    notebook = build(stem.split("/")[-1], NOTEBOOK_CELLS[stem])
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a notebook differs from this script")
    parser.add_argument("only", nargs="*", help="notebook stems to build (default: all)")
    args = parser.parse_args(argv)
    stale = []
    for stem in args.only or NOTEBOOK_CELLS:
        path = NOTEBOOKS / f"{stem}.ipynb"
        text = render(stem)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print("wrote", path.relative_to(ROOT))
    if stale:
        print("out of date (run scripts/make_notebooks.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
