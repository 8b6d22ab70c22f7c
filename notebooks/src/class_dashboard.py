# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 班级看板
#
# 督导看问题，不看排名。这一页**先**列出全班最常漏掉的违规类型和银行退回代码（附例子和该讲的提示），
# 再列出每位学员做到哪里、各环节得分和每个环节用了多长时间。
#
# 启动 JupyterLab 之前，把环境变量 `SANDBOX_CLASS` 设为你的班级文件（例如 `classes/june.yaml`）。
# 没有设置时，这一页会在临时成绩册里建一个有三名脚本学员的**演示班级**，让你先看看效果。

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
report = class_report(classroom.gradebook, classroom.class_id, lang="zh")  #[zh]
report = class_report(classroom.gradebook, classroom.class_id, lang="en")  #[en]
info = report.class_info
shown = info["mode"] == "practice" or info["feedback_released"]
print(f"{info['name']} — {info['mode']}；学员能否看到自己漏掉的问题：{'能' if shown else '还不能'}")  #[zh]
print(f"{info['name']} — {info['mode']}; trainees see their misses: {'yes' if shown else 'not yet'}")  #[en]

# %% [markdown] lang="zh"
# ## 1. 全班最常漏查的问题

# %% [markdown] lang="en"
# ## 1. 全班最常漏查的问题 What the class misses most

# %%
report.plot_problems(top=10);

# %%
report.problems.head(10)[["stage", "code", "problem", "trainees", "of_trainees", "times", "money"]]

# %% [markdown] lang="zh"
# 漏查人数最多的五个问题的例子和该讲的提示：

# %% [markdown] lang="en"
# Examples and the tip to teach, for the five problems most trainees missed:

# %%
for row in report.problems.head(5).to_dict("records"):
    print(f"■ {row['problem']} [{row['code']}]：{row['trainees']}/{row['of_trainees']} 名学员，{row['money']:,.2f} 元")  #[zh]
    print(f"■ {row['problem']} [{row['code']}] — {row['trainees']}/{row['of_trainees']} trainees, ¥{row['money']:,.2f}")  #[en]
    for example in row["examples"].split(" | "):
        print(f"    {example}")
    print(f"    提示：{row['tip']}\n")  #[zh]
    print(f"    tip: {row['tip']}\n")  #[en]

# %% [markdown] lang="zh"
# ## 2. 进度

# %% [markdown] lang="en"
# ## 2. 进度 Where everyone is

# %%
report.progress

# %%
report.plot_stage_scores();

# %% [markdown] lang="zh"
# ## 3. 用时（每个环节从第一次到最后一次操作的分钟数）

# %% [markdown] lang="en"
# ## 3. 用时 Time per stage (wall-clock minutes, first to last action)

# %%
report.plot_stage_times();

# %% [markdown] lang="zh"
# ## 4. 导出
#
# 工作簿里第一张是问题表，然后是进度和用时，以及图表。也可以在这里显示某一位学员的完整报告
# （和 `sandbox report ATTEMPT --html 文件` 保存的一样）。

# %% [markdown] lang="en"
# ## 4. Export
#
# The workbook has the problems sheet first, then progress and time, and the chart. One
# trainee's full report (what `sandbox report ATTEMPT --html FILE` saves) can be shown here too.

# %%
out_dir = classroom.config.path.parent
workbook = report.to_excel(out_dir / f"{classroom.class_id}-report.xlsx")
print("已保存", workbook.name)  #[zh]
print("saved", workbook.name)  #[en]

# %%
from sandbox.session.report import Report

started = report.progress.dropna(subset=["attempt_id"])
if not started.empty:
    attempt_id = started["attempt_id"].iloc[-1]
    trainee_report = Report(classroom.gradebook.report_data(attempt_id, full=True), "zh")  #[zh]
    trainee_report = Report(classroom.gradebook.report_data(attempt_id, full=True), "en")  #[en]
    print(trainee_report.text()[:1500])

# %% tags=["check"]
# 演示班级：三名脚本学员，看板上一定有漏查的问题  #[zh]
# The demo class: three scripted trainees, so the board shows problems  #[en]
if not CLASS_FILE:
    assert len(report.problems) > 0 and len(report.progress) == 3, report.progress

# %% [markdown] lang="zh"
# ## 5. 各技能掌握程度与针对性练习
#
# 每一格是一位学员在一种技能上的掌握程度（估计答对的比例，0 到 1；空白：还没遇到过）：红色的格子是该练的。
# 估计方法和参数见 docs/adaptive.md。下面一格为每位学员写一个针对他最弱技能的练习场景
# （`practice/班级编号/` 文件夹，在班级文件旁边）；也可以在终端里运行 `sandbox practise all --class 班级文件`。

# %% [markdown] lang="en"
# ## 5. Mastery per skill, and targeted practice
#
# Each cell is one trainee's mastery of one skill (the estimated share right, 0 to 1; blank: not
# met yet): red cells are what to practise. The model and its parameters: docs/adaptive.md. The
# next cell writes each trainee an exercise aimed at their weakest skills (in `practice/<class
# id>/` beside the class file); in a terminal: `sandbox practise all --class CLASS.yaml`.

# %%
report.plot_mastery()

# %%
from sandbox.classmode.practice import issue_practice

issued = issue_practice(classroom, lang="zh")  #[zh]
issued = issue_practice(classroom, lang="en")  #[en]
for practice in issued:
    print(practice.message())

# %% tags=["check"]
# 演示班级：每位脚本学员都拿到一个练习，最弱的技能在前  #[zh]
# The demo class: every scripted trainee gets an exercise, weakest skill first  #[en]
if not CLASS_FILE:
    assert len(issued) == 3 and all(p.plan.targets for p in issued), issued
