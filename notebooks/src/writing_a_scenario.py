# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 培训师 · 编写场景
#
# **目标**：复制一个场景，改成全班要练的内容（比如上个月审计后多练冒领），校验它，再确认它还能正常运行。
#
# 场景是一个 YAML 文件：日历（模拟的“今天”和发放期）、区域（县、乡镇、村、户）、各类违规的比例、
# 审核规则（公示天数、入户核查能力）、打码规则。`docs/authoring.md` 说明每一个字段；命令行里的
# `sandbox validate 文件` 和 `sandbox preview 文件` 做的事，和这个笔记本用 Python 做的一样。

# %% [markdown] lang="en"
# # Trainer · Writing a scenario
#
# **Goals**: copy a scenario, change what the class should practise (e.g. more 冒领 after last
# month's audit), validate it, and check that it still plays.
#
# A scenario is a YAML file: calendar (the simulated "today" and the payment period), region
# (counties, townships, villages, households), irregularity rates, review rules (posting days,
# home-visit capacity), masking policy. `docs/authoring.md` describes every field;
# `sandbox validate FILE` and `sandbox preview FILE` do from the command line what this notebook
# does in Python.

# %%
LANG = "zh"  # 会话和报告的语言  #[zh]
LANG = "en"  # language of sessions and reports  #[en]
from pathlib import Path
import tempfile
import yaml

from sandbox.scenario import load_scenario, scenario_path
from sandbox.errors import SandboxError

source = scenario_path("tutorial")  # a shipped scenario; `sandbox scenarios copy tutorial my.yaml` copies it
text = source.read_text(encoding="utf-8")
print(text)

# %% [markdown] lang="zh"
# ## 提高给死人发钱的比例
#
# 把 YAML 当数据改，把副本写到一个临时文件夹（在培训班上，把它存在班级文件旁边，班级文件的
# `scenario:` 写它的名字）。

# %% [markdown] lang="en"
# ## Raise the rate of payments to the dead
#
# Edit the YAML as data and write the copy to a scratch folder (in class, save it beside the
# class file, whose `scenario:` names it).

# %%
data = yaml.safe_load(text)
data["name"] = "tutorial-dead-payees"
data["title"] = {"zh": "练习：死亡人员冒领", "en": "Practice: payments to the dead"}
data["irregularities"]["dead_payee"] = 0.06
scratch = Path(tempfile.mkdtemp())
mine = scratch / "tutorial-dead-payees.yaml"
mine.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
scenario = load_scenario(mine)
print(scenario.name, scenario.irregularities.dead_payee)

# %% [markdown] lang="zh"
# ## 写错了会有清楚的提示
#
# 加载时会指出文件、行号和字段，以及应该填什么。

# %% [markdown] lang="en"
# ## A mistake gets a clear message
#
# The loader names the file, the line and the field, and what it expected.

# %%
wrong = {**data, "irregularities": {**data["irregularities"], "dead_payee": "lots"}}
broken = scratch / "broken.yaml"
broken.write_text(yaml.safe_dump(wrong, allow_unicode=True, sort_keys=False), encoding="utf-8")
try:
    load_scenario(broken)
except SandboxError as error:
    print(error)

# %% [markdown] lang="zh"
# ## 让参考人物跑一遍
#
# 细心的操作员应该还能得高分；什么都通过的不应该。

# %% [markdown] lang="en"
# ## Play it with the reference personas
#
# A careful operator should still score well; one who approves everything should not.

# %%
from sandbox import Session
from sandbox.personas import PERSONAS

scores = {}
for name in ("perfect", "approve-all"):
    session = Session.start(mine, trainee=name, lang=LANG)
    PERSONAS[name](session)
    scores[name] = session.report().score
    print(f"{name:12s}", session.report().short_text())

# %% tags=["check"]
print(scores)
assert scores["perfect"] > scores["approve-all"] + 20, scores
