# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 培训师 · 预览难度
#
# **目标**：上课之前看看一个场景有多难：学员会碰到每种违规各多少条，参考人物各得多少分；
# 要让细心的学员能做好，粗心的做不好。

# %% [markdown] lang="en"
# # Trainer · Previewing difficulty
#
# **Goals**: before class, see how hard a scenario is — how many irregularities of each kind a
# trainee will meet, and how the reference personas score — so that a careful trainee can do
# well and a careless one cannot.

# %%
LANG = "zh"  # 会话和报告的语言  #[zh]
LANG = "en"  # language of sessions and reports  #[en]
import pandas as pd
from sandbox import Session
from sandbox.personas import PERSONAS

SCENARIO = "tutorial"  # a shipped scenario, by name; or the path of your own file

# %% [markdown] lang="zh"
# ## 名单里有什么
#
# 培训师看到的模拟县：平台的标准答案按违规类型汇总。（只有培训师打开这个；学员的会话里永远没有它。）

# %% [markdown] lang="en"
# ## What the roster holds
#
# The trainer's view of a world: the platform's answer key summarised by irregularity. (Only
# trainers open this; a trainee's session never carries it.)

# %%
from sandbox.platform.attempt import open_attempt

attempt = open_attempt(SCENARIO)
key = attempt.data.key
summary = key.assign(kind=key["fault"].where(key["fault"] != "", key["look_alike"].where(key["look_alike"] != "", "clean")))
summary.groupby("kind").agg(entries=("entry_id", "count"), money_at_stake=("money_at_stake", "sum")).sort_values("entries", ascending=False)

# %% [markdown] lang="zh"
# ## 参考人物各得多少分
#
# 每个参考人物都通过公开的会话接口做完每个环节，和学员一样。

# %% [markdown] lang="en"
# ## How the personas score
#
# Each persona plays every stage through the public Session API, like a trainee.

# %%
rows = []
for name, play in PERSONAS.items():
    session = Session.start(SCENARIO, trainee=name, lang=LANG)
    play(session)
    report = session.report()
    rows.append({"persona": name, "total": report.score, **report.data["stages"],
                 "money let through": report.data["kpis"].get("money_let_through"),
                 "wrongful denials": report.data["kpis"].get("wrongful_denials")})
scores = pd.DataFrame(rows).set_index("persona")
scores.rename(columns={"total": "总分", "money let through": "放过的钱（元）", "wrongful denials": "错误拒绝（户）"})  #[zh]
scores  #[en]

# %% tags=["check"]
print(scores["total"].round(1).to_dict())
assert scores.at["perfect", "total"] > scores.at["approve-all", "total"] + 20, scores["total"]

# %% [markdown] lang="zh"
# 好的培训场景里，`perfect` 和 `approve-all` 之间、`perfect` 和 `no-registry-checks` 之间（大数据比对
# 的作用）要有明显差距。如果 `reject-suspicious` 的得分接近 `perfect`，说明这个场景奖励“见疑就拒”：
# 看看上表里“看着像”的情况（同名不同人、发放期之后去世、户主代领）：一个班需要足够多这样的情况，
# 才能学会“可疑不等于证据”。

# %% [markdown] lang="en"
# A good training scenario shows a clear gap between `perfect` and `approve-all`, and between
# `perfect` and `no-registry-checks` (what 大数据比对 adds). If `reject-suspicious` scores close to
# `perfect`, the scenario rewards rejecting on suspicion: look at the look-alikes in the table
# above (同名不同人 same name, 死亡在发放期之后 late death, 户主代领 head's card) — a class needs
# enough of them to learn that suspicion is not evidence.
