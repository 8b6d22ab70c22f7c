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
# # Trainer · Previewing difficulty
#
# **Goals**: before class, see how hard a scenario is — how many irregularities of each kind a
# trainee will meet, and how the reference personas score — so that a careful trainee can do
# well and a careless one cannot.

# %%
import pandas as pd
from sandbox import Session
from sandbox.personas import PERSONAS

SCENARIO = "tutorial"  # a shipped scenario, by name; or the path of your own file

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

# %% [markdown] lang="en"
# ## How the personas score
#
# Each persona plays every stage through the public Session API, like a trainee.

# %%
rows = []
for name, play in PERSONAS.items():
    session = Session.start(SCENARIO, trainee=name, lang="en")
    play(session)
    report = session.report()
    rows.append({"persona": name, "total": report.score, **report.data["stages"],
                 "money let through": report.data["kpis"].get("money_let_through"),
                 "wrongful denials": report.data["kpis"].get("wrongful_denials")})
pd.DataFrame(rows).set_index("persona")

# %% [markdown] lang="en"
# A good training scenario shows a clear gap between `perfect` and `approve-all`, and between
# `perfect` and `no-registry-checks` (what 大数据比对 adds). If `reject-suspicious` scores close to
# `perfect`, the scenario rewards rejecting on suspicion: look at the look-alikes in the table
# above (同名不同人 same name, 死亡在发放期之后 late death, 户主代领 head's card) — a class needs
# enough of them to learn that suspicion is not evidence.
