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
from pathlib import Path
import tempfile
import yaml

from sandbox.scenario import load_scenario, scenario_path
from sandbox.errors import SandboxError

source = scenario_path("tutorial")  # a shipped scenario; `sandbox scenarios copy tutorial my.yaml` copies it
text = source.read_text(encoding="utf-8")
print(text)

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

# %% [markdown] lang="en"
# ## Play it with the reference personas
#
# A careful operator should still score well; one who approves everything should not.

# %%
from sandbox import Session
from sandbox.personas import PERSONAS

for name in ("perfect", "approve-all"):
    session = Session.start(mine, trainee=name, lang="en")
    PERSONAS[name](session)
    print(f"{name:12s}", session.report().short_text())
