# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 07 · 月度增减变动
#
# **学习目标**
# - 处理以后每个月的增减变动：停发申报、新增申请、档次和卡的变更；
# - 把每一位在册的领取人，和当月的登记信息比对（`s.registries` 显示的是当前这个月的登记）；
# - 领取人去世了就停发，并追回（追回）去世以后发出的钱。
#
# 这一课需要有好几个发放期的场景：周口 2022 有三个（5 月、6 月、7 月）。

# %% [markdown] lang="en"
# # 07 · Monthly changes (月度增减变动)
#
# **Learning goals**
# - work the 增减变动 of each later month: stop reports, new applications, tier and card changes;
# - check every standing payee against that month's registries (`s.registries` shows the month open now);
# - stop a payee who died, and recover (追回) what was paid after the death.
#
# This lesson needs a scenario with several pay periods: Zhoukou 2022 has three (May, June, July).

# %% setup="monthly" scenario="zhoukou-2022"
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %%
s.monthly.brief()

# %%
changes = s.monthly.changes()
roster = s.monthly.roster()
changes[["change_id", "kind", "name", "program", "amount", "evidence_zh"]].head(10)  #[zh]
changes[["change_id", "kind", "name", "program", "amount", "evidence_en"]].head(10)  #[en]

# %% [markdown] lang="zh"
# 每个月：死亡登记显示在当月开始之前已经去世的领取人，一律停发；去世以后开始的月份里发出去的钱，
# 要追回。其余的变更申报照常通过。

# %% [markdown] lang="en"
# Each month: payees the death register lists as dead before the month began are stopped; what
# was paid for months that began after the death is recovered. Other reported changes are approved.

# %%
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
