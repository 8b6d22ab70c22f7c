# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 06 · 我的报告（培训报告）
#
# **学习目标**
# - 读懂一份报告：各环节得分、和周口并排的发放指标、拦住的钱和放过的钱、被错误拒绝的人家、隐私泄露；
# - 按违规类型读漏掉的问题，每条附证据和提示，挑出接下来该练什么；
# - 把报告存成一个独立的 HTML 文件，留存或上交。
#
# **背景。** 周口的督导“只看问题，不看成绩”。你的报告也是这样写的：每一处扣分都写明是哪条记录、
# 当时有什么证据、依据哪条规则、下次怎么发现。在培训班上，培训师能看到每个人的同样数据
# （`trainer/` 里的笔记本），据此安排第二天练全班漏得最多的地方。

# %% [markdown] lang="en"
# # 06 · My report (培训报告)
#
# **Learning goals**
# - read a report: stage scores, the KPIs beside Zhoukou's, money stopped and money let through,
#   families wrongly denied, privacy slips;
# - read the misses grouped by irregularity, with the evidence and a tip, and pick what to
#   practise next;
# - save the report as a self-contained HTML file to keep or hand in.
#
# **The context.** Zhoukou's 督导 "looked at problems, not at results". Your report is built the
# same way: every deduction names the record, the evidence that was available, the rule and how
# to catch it next time. In a class your trainer sees the same data for everyone (notebooks in
# `trainer/`), to plan tomorrow's practice on what the class missed.

# %% setup="report"
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %% [markdown] lang="zh"
# ## 我的成绩：01–05 各课的结果
#
# `my_report` 从你的成绩册里汇总你在 01–05 各课的每一次尝试：每个环节的首次得分和最好得分、
# 进步曲线，还有一份可以下载保存或交给教员的 HTML 报告（点表格下面的下载链接）。
# 只算你自己做的环节：参考操作员替你补做的前面环节不计入。

# %% [markdown] lang="en"
# ## My results: notebooks 01–05
#
# `my_report` gathers every attempt you made in notebooks 01–05 from your gradebook: each
# stage's first and best score, your progress, and an HTML report to download and keep or hand
# in (the link under the table). Only the stages you did count, not those the reference
# operator played for you.

# %%
mine = my_report(lang=LANG)
mine

# %% [markdown] lang="zh"
# ## 两份报告对照着看
#
# 同一个县的两次尝试：一位细心的操作员做完了每个环节；另一位赶时间的，什么都通过。

# %% [markdown] lang="en"
# ## Two reports side by side
#
# Two attempts at the same county: a careful operator's, played through every stage, and a
# hurried one that approved everything.

# %%
careful = s.report()
careful

# %%
from sandbox.personas import play_approve_all

hurried_session = Session.start("tutorial", trainee="hurried", lang=LANG, mode=MODE)
play_approve_all(hurried_session)
hurried = hurried_session.report()
print(hurried.text())

# %% [markdown] lang="zh"
# ## 和周口并排看发放指标

# %% [markdown] lang="en"
# ## The KPIs beside Zhoukou's

# %%
zhoukou = {"first_pass_success_rate": 0.9738, "social_security_card_share": 0.985}
table = pd.DataFrame({"细心": careful.data["kpis"], "赶时间": hurried.data["kpis"]})  #[zh]
table["周口 2022"] = pd.Series(zhoukou)  #[zh]
table = pd.DataFrame({"careful": careful.data["kpis"], "hurried": hurried.data["kpis"]})  #[en]
table["Zhoukou 2022"] = pd.Series(zhoukou)  #[en]
table

# %% tags=["check"]
assert careful.score > hurried.score + 10, (careful.score, hurried.score)   # 40.4 and 27.7 on the tutorial county

# %% [markdown] lang="zh"
# ### 练习：赶时间的那位，最该先练什么？
#
# 看 `hurried.data["misses"]`：每一条都有违规类型 `fault` 和金额 `amount`。哪一种违规放过去的钱最多？
# 起始代码挑的是放过钱**最少**的那种：改成最多的，再和报告自己的建议比一比。

# %% [markdown] lang="en"
# ### Exercise — what should the hurried operator practise first?
#
# Look at `hurried.data["misses"]`: each has a `fault` code and an `amount`. Which irregularity
# let the most money through? The starter picks the one that let the **least** through: pick
# the most, then compare with the report's own advice.

# %%
misses = pd.DataFrame(hurried.data["misses"])
by_fault = misses[misses["fault"] != ""].groupby("fault")["amount"].sum().sort_values(ascending=False)
by_fault

# %% tags=["starter"]
my_pick = by_fault.index[-1]                                       # ← 放过钱最多的是哪一种？  #[zh]
my_pick = by_fault.index[-1]                                       # ← which let the most through?  #[en]

# %% tags=["solution"]
my_pick = by_fault.idxmax()

# %%
print("我的选择：", my_pick, "✓" if my_pick == by_fault.idxmax() else "✗ 还有放过钱更多的")  #[zh]
print("报告的建议：")  #[zh]
print("my pick:", my_pick, "✓" if my_pick == by_fault.idxmax() else "✗ another let more through")  #[en]
print("the report advises:")  #[en]
for line in hurried.data["practise_next"]:
    print(" -", line)

# %% [markdown] lang="zh"
# ## 留一份
#
# `save_html` 写出一个独立的文件（图也在里面）。下面存到一个临时文件夹；想存在本笔记本旁边，用
# `careful.save_html("my_report.html")`。

# %% [markdown] lang="en"
# ## Keep a copy
#
# `save_html` writes one self-contained file (charts included). Below it goes to a temporary
# folder; use `careful.save_html("my_report.html")` to keep it beside this notebook.

# %%
import tempfile
from pathlib import Path

saved = careful.save_html(Path(tempfile.mkdtemp()) / "my_report.html")
print(saved.name, saved.stat().st_size, "bytes")

# %% [markdown] lang="zh"
# ## 会出什么错，为什么要紧
#
# - **放过的问题资金**就是损失：发给了死人、公职人员、村干部亲属，或者打到了村干部的卡上。
# - **错误拒绝**是一户户没拿到补贴的人家：它们不出现在金额合计里，所以报告单独计数。
# - **首次发放成功率低于周口的 97.38%**，说明有录入错误和没激活的卡，本该在采集和审核时发现。
#
# 先练报告指出的问题，再试试 `Session.start("zhoukou-2022")`，或者培训师为你们班写的场景。

# %% [markdown] lang="en"
# ## What went wrong, and why it matters
#
# - **Money let through** (放过的问题资金) is lost: payments to the dead, to public employees, to
#   cadres' relatives, to a cadre's card.
# - **Wrongful denials** (错误拒绝) are families without their subsidy: they do not show in the
#   money totals, which is why the report counts them separately.
# - **First-pass success** below Zhoukou's 97.38% means typos and unactivated cards that review
#   and collection could have caught.
#
# Practise what your report names first, then try `Session.start("zhoukou-2022")` or a
# scenario your trainer wrote for the class.

# %% [markdown] lang="zh"
# ## 下一步：针对性练习
#
# 成绩册记下了你在每一种技能上的表现：每一类违规查出了没有、同类的“看似有问题、其实合规”的对象有没有错拒、
# 每一种退票代码第一次就处理对了没有、对账是否准确到分、公开时是否脱敏、公示异议答复得对不对。
# 下面的图是**掌握程度**：条形是估计的答对比例，细线是 90% 可信区间——只遇到过三次的，区间很宽；
# 遇到过三十次的，区间就窄。红色的是需要加强的（低于虚线）。只算你自己做的环节。

# %% [markdown] lang="en"
# ## Next: targeted practice
#
# Your gradebook keeps how you did at each skill: each irregularity caught or not, its
# entitled look-alikes wrongly denied or not, each bank return code fixed right the first
# time, the statement right to the fen, masking when publishing, 公示 objections answered right.
# The chart shows your **mastery**: the bar is the estimated share you get right, the thin line
# its 90% credible interval — three cases give a wide one, thirty a narrow one. Red is weak
# (left of the dashed line). Only the stages you did count.

# %%
from sandbox.course.practice import mastery_chart, my_mastery

my_skills = my_mastery(lang=LANG)
mastery_chart(my_skills, lang=LANG)

# %%
from sandbox.course.practice import mastery_table

mastery_table(my_skills, lang=LANG)

# %% [markdown] lang="zh"
# 点 **生成我的针对性练习**：沙盘按你最弱的技能写一个新的练习场景——这类问题是原来的三倍以上，
# 同类“看似有问题、其实合规”的对象也更多（一律拒绝并不划算），其余和原来一样，大约 20 分钟。
# 再点 **开始练习**，新县的审核台就出现在下面。写代码也一样：`s.practise_next()`。

# %% [markdown] lang="en"
# Click **Write my targeted practice**: the sandbox writes a new exercise aimed at your weakest
# skills — three times as many of those cases or more, and more entitled look-alikes of the same
# kinds (rejecting everything does not pay), the rest as before, about 20 minutes. Then click
# **Start it**: the new county's review desk opens below. In code: `s.practise_next()`.

# %%
from sandbox.course.practice import PracticePanel

PracticePanel(s)
