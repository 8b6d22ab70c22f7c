# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 00 · 从这里开始：一卡通和这个练习沙盘
#
# **学习目标**
# - 说清楚惠民惠农财政补贴“一卡通”是什么，它要堵住哪些漏洞（冒领、截留、挪用）；
# - 说出补贴发放的六个环节，以及每个环节由谁来做；
# - 了解沙盘怎么运转：场景 → 模拟县 → 平台 → 会话，以及为什么你永远看不到标准答案；
# - 打开一个会话，读懂它的任务卡，选择场景、语言和模式。
#
# 每个单元格用 **Shift+Enter** 运行。这里什么都弄不坏：每个会话都是一个模拟县，里面的人全是虚构的。

# %% [markdown] lang="en"
# # 00 · Start here — the 一卡通 and this sandbox
#
# **Learning goals**
# - say what the 惠民惠农补贴“一卡通” is and which leaks it exists to stop (冒领, 截留, 挪用);
# - name the six stages of a payout and who does each one;
# - understand how this sandbox works: scenario → world → platform → session, and why the
#   answer key never reaches you;
# - start a session, read its brief, and choose a scenario, a language and a mode.
#
# Run each cell with **Shift+Enter**. Nothing here can break anything: every session is a
# simulated county of synthetic people.

# %% setup="none"
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %% [markdown] lang="zh"
# ## 为什么要“一卡通”
#
# 县里有几十项补贴直接发到群众手里：耕地地力保护补贴、养老金、低保、残疾人补贴、高龄津贴……
# 过去每项补贴各有各的存折、各有各的名单、各走各的渠道，钱在路上容易出问题：**梗阻**（资金卡在
# 部门之间）、**冒领**（比如给早已去世的人发钱）、**截留**（村干部扣着村民的卡）和**挪用**（钱被挪作他用）。
#
# 改革以后，每人**一张卡**（一般是第三代社保卡的金融账户）收所有补贴，通过**一个平台**发放。
# 河南的目标是“六个一”：一张清单管制度、一个平台管发放、一个专栏管公开、一套规程堵漏洞、
# 一项机制助审核、一张卡片领补贴。
#
# **周口市 2022 年前五个月**（《周口日报》2022 年 6 月）：
#
# | 指标 | 数值 |
# |---|---|
# | 通过一卡通发放的补贴资金 | 12.38 亿元 |
# | 发放人次 | 577.88 万人次 |
# | 纳入清单的项目 / 已发放的项目 | 73 项 / 63 项 |
# | 社保卡发放占比 | 98.5% |
# | 补贴发放成功率 | 97.38% |
# | 线上线下培训的业务操作员 | 486 人 |
#
# 你正在接受的，就是这些业务操作员的培训。

# %% [markdown] lang="en"
# ## Why the one card exists
#
# Counties pay dozens of subsidies (惠民惠农补贴) straight to citizens: farmland protection,
# pensions, 低保, disability and old-age allowances… Each used to have its own passbook, its
# own list and its own channel. Money leaked on the way: **梗阻** (blockages — money stuck between
# offices), **冒领** (false claims, e.g. for people long dead), **截留** (withholding — a cadre
# keeps villagers' cards) and **挪用** (diversion to other uses).
#
# The reform puts every subsidy on **one card per person** — normally the financial account of
# the third-generation social security card (社保卡) — paid through **one platform**. Henan's
# goals, the 六个一: one list of policies (一张清单管制度), one platform for payout (一个平台管发放),
# one public column (一个专栏管公开), one set of procedures (一套规程堵漏洞), one mechanism to aid
# review (一项机制助审核), one card to receive subsidies (一张卡片领补贴).
#
# **Zhoukou, first five months of 2022** (周口日报, June 2022):
#
# | figure | value |
# |---|---|
# | subsidy paid through the 一卡通 | ¥1.238 billion (12.38亿元) |
# | payments (人次) | 5.7788 million (577.88万人次) |
# | programs catalogued / paid so far | 73 / 63 |
# | share paid to social security cards (社保卡占比) | 98.5% |
# | payout success rate (补贴发放成功率) | 97.38% |
# | operators trained, online and offline | 486 |
#
# You are training to be one of those operators (业务操作员).

# %%
# 按周口的规模，97.38% 意味着什么：每一笔失败的发放，都是一户人家还在等钱。  #[zh]
# What 97.38% means at Zhoukou's scale: every failed payment is a family still waiting.  #[en]
payments = 5_778_800
success_rate = 0.9738
returned = payments * (1 - success_rate)
print(f"有 {returned:,.0f} 笔发放被退回（退票），需要查明原因、改正后补发")  #[zh]
print(f"平均每笔：{1_238_000_000 / payments:,.2f} 元")  #[zh]
print(f"{returned:,.0f} payments came back (退票) and had to be fixed and re-issued (补发)")  #[en]
print(f"average payment: ¥{1_238_000_000 / payments:,.2f}")  #[en]

# %% [markdown] lang="zh"
# ## 业务流程
#
# 一共六个环节，每个环节有自己的经办单位，也有自己容易出错的地方。项目设立之后的五个环节，
# 沙盘每个环节配一个笔记本来练。

# %% [markdown] lang="en"
# ## The workflow
#
# Six stages, each with its own office and its own way of going wrong. The sandbox trains the
# five after program set-up, one notebook each.

# %%
display(HTML(workflow_svg()))

# %% [markdown] lang="zh"
# | 环节 | 谁来做 | 容易出什么错 | 笔记本 |
# |---|---|---|---|
# | 信息采集、录入 | 村、乡镇经办人员 | 身份证号、卡号、姓名录错 | 01 |
# | 审核、公示 | 乡镇初审、主管部门、财政；公示 7 天 | 给死亡人员、公职人员、村干部亲属发钱；重复发放；虚报面积 | 02 |
# | 发放 | 财政 → 国库 → 代发银行 | 支付申请超过指标；钱打到别人的卡上 | 03 |
# | 失败处理、补发、对账 | 主管部门、财政、银行 | 退票没人处理；重复支付；账对不平 | 04 |
# | 信息公开、监督检查 | 公开专栏、督导组 | 公开了完整身份证号；违规资金没有追回 | 05 |

# %% [markdown] lang="en"
# | stage | who | what goes wrong | notebook |
# |---|---|---|---|
# | 信息采集、录入 collection and entry | village (村) and township (乡镇) clerks | typed IDs, card numbers and names with mistakes | 01 |
# | 审核、公示 review and posting | township first review, department, finance; 7-day 公示 | paying the dead, public employees, cadres' relatives; duplicates; inflated land | 02 |
# | 发放 payout | finance → treasury → paying bank (代发银行) | a request above the budget line (指标); money to the wrong card | 03 |
# | 失败处理、补发、对账 failures, re-issue, reconciliation | department, finance, bank | returned lines (退票) left unresolved; paying twice; books that do not balance | 04 |
# | 信息公开、监督检查 disclosure and supervision | public column, inspectors (督导组) | full ID numbers published; improper payments never recovered (追回) | 05 |

# %% [markdown] lang="zh"
# ## 沙盘是怎么运转的
#
# - **场景**（培训师写的一个 YAML 文件）规定：哪个县、多少个村、发哪些补贴、每种违规情况出现得多频繁。
# - 沙盘据此生成一个**模拟县**：人口、家庭、土地、银行卡，以及操作员可以查询的各种登记信息
#   （死亡登记、财政供养人员、村干部近亲属、车辆、土地承包……）。同一个场景、同一个随机种子，
#   生成的模拟县永远一样。
# - **平台**掌握模拟县、标准答案、模拟银行和模拟时钟。只有它知道真实情况。
# - 你的**会话**只能看到操作员能看到的东西（申报表、名单、登记查询结果、银行回盘文件），也只能
#   做操作员能做的事（更正、通过、不通过、转核查、发放、补发、公开）。标准答案永远不会到你手里：
#   在培训班上，平台甚至可能运行在另一台机器上。
# - 每一步操作都按模拟时间记录下来；你的成绩根据你**做了什么**来算，而不是根据单元格打印了什么。
# - **时间是真实的。** 钱必须在发放时限之前到卡（任务卡上的 `payment_deadline` 和 `days_left`）。
#   入户核查和 7 天公示都会占用这段时间，银行从模拟时钟上的“今天”开始处理。
# - **有些步骤不能撤销**：结束审核、发送支付申请、补发、公开、提交检查报告。每一步都要写
#   `confirm=True` 才会执行；不写就什么也不发生，平台只告诉你哪些东西将会定下来。任务卡的
#   `final_steps` 列出了这些步骤。

# %% [markdown] lang="en"
# ## How the sandbox works
#
# - A **scenario** (a YAML file a trainer writes) says which county, how many villages, which
#   subsidies, and how often each irregularity happens.
# - From it the sandbox generates a **world**: people, households, land, cards and the registries
#   an operator can query (deaths, payroll, cadres, vehicles, land contracts…). The same scenario
#   and seed always give the same world.
# - The **platform** holds the world, the answer key and the simulated banks and clock. It is
#   the only part that knows the truth.
# - Your **session** sees only what an operator sees (forms, rosters, registry look-ups, bank
#   result files) and can act (correct, approve, reject, refer, pay, re-issue, publish). The
#   answer key never reaches you: in a class, the platform may even run on another machine.
# - Every action is logged with simulated time; your report is computed from what you did, not
#   from what your cells printed.
# - **Time is real.** Money must reach the cards by the payment deadline (发放时限, the brief's
#   `payment_deadline` and `days_left`). Home visits and the seven-day 公示 take simulated days
#   out of that window, and the banks start from today on the clock.
# - **Some steps cannot be undone** (不可撤销): closing review, sending payment, re-issuing (补发),
#   publishing, the inspection report. Each needs `confirm=True` — without it nothing happens and
#   the platform says what would become final. The brief lists them (`final_steps`).

# %%
display(HTML(sandbox_svg()))

# %% [markdown] lang="zh"
# ## 选择场景
#
# `tutorial`（教学县）是一个约 200 人的村：跑得快，违规情况也比现实中多一点，好让你每种都碰到。
# `zhoukou-2022`（周口 2022）按周口的公开数据校准。这两个场景随沙盘一起安装，在任何文件夹里
# 用名字就能打开（命令 `sandbox scenarios` 也会列出来）。培训师可以写自己的场景文件
# （见 `notebooks/trainer/writing_a_scenario.ipynb`）。

# %% [markdown] lang="en"
# ## Choosing a scenario
#
# `tutorial` is one village of about 200 people: quick, and a little richer in irregularities
# than real life so that you meet every kind. `zhoukou-2022` is calibrated on the seed's figures.
# They ship with the sandbox, so their names work from any folder (`sandbox scenarios` lists
# them too). Trainers add their own files (see `notebooks/trainer/writing_a_scenario.ipynb`).

# %%
from sandbox.scenario import load_scenario, shipped_scenarios

rows = []
for name in shipped_scenarios():
    sc = load_scenario(name)
    rows.append({"场景": name, "标题": sc.title.zh, "模式": sc.mode})  #[zh]
    rows.append({"name": name, "title": sc.title.en, "标题": sc.title.zh, "mode": sc.mode})  #[en]
pd.DataFrame(rows)

# %% [markdown] lang="zh"
# ## 模式和语言
#
# - **练习**（practice）：每次提交马上给出反馈：哪些对、哪些错、你本可以用上的证据，以及下次怎么发现。
# - **自测**（self-test）：提交会被记录，但分数和反馈封存起来，直到你用 `s.end_self_test()` 结束自测。
#   在你自己的电脑上，`mode="exam"` 也是同样的意思：电脑的主人随时可以打开自测。
# - **考试**（exam）：只在培训师的班级服务器上进行（`Session.connect(url, token)`）：在培训师发布之前，
#   一切都是封存的。只有这种才是真正封存的考试。
# - `lang="zh"` 或 `lang="en"` 决定反馈、操作台和报告用中文还是英文。
#
# 第一个代码单元格已经为你打开了练习模式的会话 `s`。它的任务卡：

# %% [markdown] lang="en"
# ## Modes and languages
#
# - **practice** (练习): every submission answers at once — what was right, what was wrong, the
#   evidence you could have used, and how to catch it next time.
# - **self-test** (自测): your submissions are recorded, but scores and feedback stay sealed
#   until you end the self-test with `s.end_self_test()`. On your own machine `mode="exam"`
#   means the same: whoever owns the machine can open a self-test.
# - **exam** (考试): only on your trainer's class server (`Session.connect(url, token)`):
#   everything stays sealed until the trainer releases it. This is the only sealed exam.
# - `lang="zh"` or `lang="en"` sets the language of feedback, desks and the report.
#
# The first code cell already started a practice session `s`. Its brief:

# %%
s.brief()

# %%
# 这个县这个月要发的补贴项目（补贴项目清单）：规则、标准、发给谁。  #[zh]
# The programs (补贴项目清单) this county pays this month: rule, standard, who receives it.  #[en]
s.programs()[["program", "name", "department", "unit", "formula", "amount", "rate_per_mu"]]

# %%
# 可以用来比对的登记信息（大数据比对），以及每种有多少行。  #[zh]
# The registries you may compare against (大数据比对), and how many rows each holds.  #[en]
s.registries.list()

# %% [markdown] lang="zh"
# ### 练习：哪些补贴按户发？
#
# 有些项目**按户**发，打到户主的卡上；有些**按人**发，打到本人的卡上。低保打到户主卡上**不是**
# 代领，而是规定如此。看看上面清单的 `unit` 列（`household` 按户，`person` 按人），
# 把所有按户发放的项目代码填进下面的集合，然后运行。现在填的还不对。

# %% [markdown] lang="en"
# ### Exercise — who receives a per-household subsidy?
#
# Some programs are paid **per household** (按户) to the head's card (户主), others **per person**
# (按人) to the beneficiary's own card. A 低保 payment on the head's card is *not* 代领 — it is the
# rule. Look at the `unit` column above (`household` or `person`), put the codes of the
# per-household programs in the set below and run the cell. What is there now is not right yet.

# %% tags=["starter"]
my_answer = {"dibao", "basic_pension"}   # ← 改成正确的项目代码  #[zh]
my_answer = {"dibao", "basic_pension"}   # ← add or remove program codes  #[en]

programs = s.programs()
per_household = set(programs.loc[programs["unit"] == "household", "program"])
missing, extra = per_household - my_answer, my_answer - per_household
if not missing and not extra:
    print("✓ 对了：这些项目打到户主的卡上")  #[zh]
    print("✓ right: these go to the head of household's card")  #[en]
else:
    print("✗ 还不对。" + (f"漏了：{sorted(missing)}。" if missing else "")  #[zh]
          + (f"这些是按人发的，不是按户：{sorted(extra)}。" if extra else ""))  #[zh]
    print("提示：看 s.programs() 的 unit 列。")  #[zh]
    print("✗ not yet." + (f" Missing: {sorted(missing)}." if missing else "")  #[en]
          + (f" Paid per person, not per household: {sorted(extra)}." if extra else ""))  #[en]
    print("Hint: look at the 'unit' column of s.programs().")  #[en]

# %% tags=["solution"]
# 参考答案：直接从清单里取按户发放的项目  #[zh]
# One way to do it: take the per-household programs from the catalogue  #[en]
programs = s.programs()
my_answer = set(programs.loc[programs["unit"] == "household", "program"])
per_household = set(programs.loc[programs["unit"] == "household", "program"])
print("✓ 对了" if my_answer == per_household else "✗ 还不对")  #[zh]
print("✓ right" if my_answer == per_household else "✗ not yet")  #[en]
print(sorted(my_answer))

# %% tags=["check"]
assert my_answer == per_household and "dibao" in my_answer and "basic_pension" not in my_answer

# %% [markdown] lang="zh"
# ### 练习和自测，并排看
#
# 同一个决定，分别在两种模式下做。自测时平台会记录决定，但不告诉你对错。

# %% [markdown] lang="en"
# ### Practice and self-test, side by side
#
# The same decision in both modes. In a self-test the platform records it but keeps the verdict.

# %%
for mode in ("practice", "self-test"):
    trial = resume_at("review", Session.start("tutorial", trainee="demo", lang=LANG, mode=mode))
    first = trial.review.roster()["entry_id"].iloc[0]
    feedback = trial.review.decide(first, "approve")
    withheld = feedback.get("withheld") or "score" not in feedback
    print(mode, "→", "不显示对错" if withheld  #[zh]
          else f"审核阶段得分 {feedback.score:.1f}，还有 {len(feedback.misses)} 件事要做")  #[zh]
    print(mode, "→", "details withheld" if withheld  #[en]
          else f"interim review score {feedback.score:.1f}, {len(feedback.misses)} things still to do")  #[en]

# %% [markdown] lang="zh"
# ## 会出什么错，为什么要紧
#
# - **钱发错了人就是损失**（冒领、截留）：去世的人不会来投诉，一个手里攥着十个村民银行卡的村干部
#   就能领走十份补贴。
# - **该发的人没发到，同样是伤害**：一位老人这个月拿不到养老金，一户低保家庭没了买粮的钱。
#   沙盘两种错误都计分。
# - **录错一个数字就是一次延误**：银行把这一笔退回来（退票），总得有人查原因、改正、再发（补发）。
#   按周口的规模，2.62% 就是大约 15 万笔。
#
# 下一课：**01_collection**：清理各村录入的名单。
#
# | 笔记本 | 环节 |
# |---|---|
# | 01_collection | 信息采集、录入 |
# | 02_review_and_posting | 审核、公示（本课程的重点） |
# | 03_payout | 发放 |
# | 04_failures_and_reconciliation | 失败处理、补发、对账 |
# | 05_disclosure_and_supervision | 信息公开、监督检查 |
# | 06_my_report | 我的报告：接下来该练什么 |
# | 07_city_supervision | 全市督导：各县区五个月的指标，找出问题、定责任 |
# | 08_monthly_changes | 以后几个月：增减变动、停发和追回 |

# %% [markdown] lang="en"
# ## What goes wrong, and why it matters
#
# - **A payment to the wrong person is money lost** (冒领, 截留): the dead do not complain, and a
#   cadre holding ten villagers' cards collects ten subsidies.
# - **A payment denied to the right person is a harm too**: an old woman without her pension
#   this month, a 低保 family without food money. The sandbox scores both.
# - **A mistyped digit is a delay**: the bank returns the line (退票), and someone has to find out
#   why, fix it and pay again (补发). At Zhoukou's scale 2.62% is about 151,000 payments.
#
# Next: **01_collection** — clean what the villages typed.
#
# | notebook | stage |
# |---|---|
# | 01_collection | 信息采集、录入 |
# | 02_review_and_posting | 审核、公示 — the heart of the course |
# | 03_payout | 发放 |
# | 04_failures_and_reconciliation | 失败处理、补发、对账 |
# | 05_disclosure_and_supervision | 信息公开、监督检查 |
# | 06_my_report | your report: what to practise next |
# | 07_city_supervision | the city's 督导: five months of county KPIs, find the problems, name who fixes them |
# | 08_monthly_changes | the months after: 增减变动, stop and 追回 |
