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
# # 班级看板 Class dashboard
#
# 督导看问题，不看排名 — look at problems, not at rankings. This page shows **first** which
# irregularities and bank failure codes the class misses most (with examples and the tip to
# teach), then where each trainee is, their stage scores and the time each stage took.
#
# Set the environment variable `SANDBOX_CLASS` to your class file (e.g. `classes/june.yaml`)
# before starting JupyterLab. Without it, the page builds a small **demo class** of three
# scripted trainees in a temporary gradebook, so you can see what it will show.

# %%
import os
import tempfile

from sandbox.classmode.class_report import class_report
from sandbox.classmode.classroom import Classroom, demo_class


CLASS_FILE = os.environ.get("SANDBOX_CLASS")
if CLASS_FILE:
    classroom = Classroom.open(CLASS_FILE)
else:
    classroom = demo_class(tempfile.mkdtemp(prefix="demo-class-"), "tutorial")  # a shipped scenario
report = class_report(classroom.gradebook, classroom.class_id, lang="zh")
info = report.class_info
shown = info["mode"] == "practice" or info["feedback_released"]
print(f"{info['name']} — {info['mode']}; trainees see their misses: {'yes' if shown else 'not yet'}")

# %% [markdown] lang="en"
# ## 1. 全班最常漏查的问题 What the class misses most

# %%
report.plot_problems(top=10);

# %%
report.problems.head(10)[["stage", "code", "problem", "trainees", "of_trainees", "times", "money"]]

# %% [markdown] lang="en"
# Examples and the tip to teach, for the five problems most trainees missed:

# %%
for row in report.problems.head(5).to_dict("records"):
    print(f"■ {row['problem']} [{row['code']}] — {row['trainees']}/{row['of_trainees']} trainees, ¥{row['money']:,.2f}")
    for example in row["examples"].split(" | "):
        print(f"    {example}")
    print(f"    提示 tip: {row['tip']}\n")

# %% [markdown] lang="en"
# ## 2. 进度 Where everyone is

# %%
report.progress

# %%
report.plot_stage_scores();

# %% [markdown] lang="en"
# ## 3. 用时 Time per stage (wall-clock minutes, first to last action)

# %%
report.plot_stage_times();

# %% [markdown] lang="en"
# ## 4. Export
#
# The workbook has the problems sheet first, then progress and time, and the chart. One
# trainee's full report (what `sandbox report ATTEMPT --html FILE` saves) can be shown here too.

# %%
out_dir = classroom.config.path.parent
workbook = report.to_excel(out_dir / f"{classroom.class_id}-report.xlsx")
print("saved", workbook.name)

# %%
from sandbox.session.report import Report

started = report.progress.dropna(subset=["attempt_id"])
if not started.empty:
    attempt_id = started["attempt_id"].iloc[-1]
    trainee_report = Report(classroom.gradebook.report_data(attempt_id, full=True), "zh")
    print(trainee_report.text()[:1500])
