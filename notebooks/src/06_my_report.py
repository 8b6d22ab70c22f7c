# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   jupytext:
#     formats: py:percent
# ---

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

# %% [markdown] lang="en"
# Here two attempts at the same county side by side: a careful operator's, played through every
# stage, and a hurried one that approved everything. Replace either with your own session from
# the earlier notebooks (each `s` has `s.report()`).

# %% setup="report"
# (生成) The build script writes this cell: see scripts/build_notebooks.py

# %%
careful = s.report()
careful

# %%
from sandbox.personas import play_approve_all

hurried_session = Session.start("tutorial", trainee="hurried", lang=LANG, mode=MODE)
play_approve_all(hurried_session)
hurried = hurried_session.report()
print(hurried.text())

# %% [markdown] lang="en"
# ## The KPIs beside Zhoukou's

# %%
import pandas as pd

zhoukou = {"first_pass_success_rate": 0.9738, "social_security_card_share": 0.985}
table = pd.DataFrame({"careful": careful.data["kpis"], "hurried": hurried.data["kpis"]})
table["Zhoukou 2022"] = pd.Series(zhoukou)
table

# %% [markdown] lang="en"
# ### Exercise — what should the hurried operator practise first?
#
# Look at `hurried.data["misses"]`: each has a `fault` code and an `amount`. Which irregularity
# let the most money through? Compare your answer with the report's own advice.

# %%
misses = pd.DataFrame(hurried.data["misses"])
by_fault = misses[misses["fault"] != ""].groupby("fault")["amount"].sum().sort_values(ascending=False)
my_pick = by_fault.index[0] if len(by_fault) else None         # ← your reasoning here
print("my pick:", my_pick)
print("the report advises:")
for line in hurried.data["practise_next"]:
    print(" -", line)
by_fault

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
