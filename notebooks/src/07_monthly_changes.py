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
# # 07 · Monthly changes (月度增减变动)
#
# **Learning goals**
# - work the 增减变动 of each later month: stop reports, new applications, tier and card changes;
# - check every standing payee against that month's registries (`s.registries` shows the month open now);
# - stop a payee who died, and recover (追回) what was paid after the death.
#
# This lesson needs a scenario with several pay periods: Zhoukou 2022 has three (May, June, July).

# %%
LANG = "en"
from sandbox import Session
from sandbox.course import NotebookDisplay, resume_at

s = Session.start("zhoukou-2022", trainee="me", lang=LANG, gradebook=True,
                  label="07_monthly_changes", until="monthly", display=NotebookDisplay())
resume_at("monthly", s)
s.monthly.brief()

# %%
changes = s.monthly.changes()
roster = s.monthly.roster()
changes[["change_id", "kind", "name", "program", "amount", "evidence_en"]].head(10)

# %% [markdown] lang="en"
# Each month: payees the death register lists as dead before the month began are stopped; what was paid for months that began after the death is recovered.

# %%
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
