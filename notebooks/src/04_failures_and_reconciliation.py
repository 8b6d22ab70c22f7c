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
# # 04 · Failures, re-issue and reconciliation (失败处理、补发、对账)
#
# **Learning goals**
# - find out why each returned line (退票) came back, from its code and the payee's cards;
# - choose the fix: activate the card (激活), correct the name (更正户名), pay the person's other
#   account, or stop and recover (停发追回) when the holder has died;
# - re-issue (补发) so that nothing is paid twice, and reconcile to the fen:
#   allocated = paid + returned + pending + unspent (指标 = 已发放 + 退回 + 在途 + 结余).
#
# **The context.** A failed, wrong or missed payment (发放失败/错发/漏发) is verified by the
# department, re-reviewed by finance and paid again. A re-issued line is linked to the line it
# replaces (`source_line_id`), so the same subsidy can never be paid twice. At the end of the
# period the books must balance exactly: a fen unexplained is where 截留 and 挪用 hide.
#
# *In this notebook a hurried colleague approved typed names and card numbers as they were, so
# the banks returned several lines — your job is to clear them.*

# %% setup="failures" review="typos_left"
# (生成) The build script writes this cell: see scripts/build_notebooks.py

# %%
import pandas as pd

failures = s.failures.table()
failures

# %% [markdown] lang="en"
# ## Look before you fix
#
# `s.failures.card_status(line_id)` shows every card and account of the payee as the card
# register has it **now** (`status_now`), with the name the bank holds (`holder_name`).

# %%
first = failures["line_id"].iloc[0]
print(failures.iloc[0][["code", "reason", "what_to_do"]].to_string())
s.failures.card_status(first)

# %% [markdown] lang="en"
# | code | the usual cause | the fix (`s.failures.act(line_id, action, value)`) |
# |---|---|---|
# | AG01 账户未激活 | social security card never activated | `activate_card` — the holder goes to a branch; re-issue after |
# | AC06 账户冻结 | PIN-locked, frozen, reported lost | `activate_card` if the branch can unlock it, else `pay_other_account` |
# | BE01 户名不符 | name typed with a homophone | `correct_name` with the bank's holder name |
# | AC01 账号错误 | card number mistyped | `pay_other_account` with the person's own card from the register |
# | AC04 已销户 | card closed or replaced | `pay_other_account` with the new card |
# | MD07 持卡人死亡 | the holder has died | `stop_recover` — never re-issue |
#
# ### Exercise 1 — choose a fix for every line
#
# Complete `choose_fix`. It receives one line of the failure table and that payee's cards, and
# returns `(action, value)`. The starter only handles AG01.

# %%
def choose_fix(line, cards):
    this_card = cards[cards["account_number"] == line["account_number"]]
    if line["code"] == "AG01":
        return "activate_card", ""
    # ← BE01: the bank's holder name is in this_card["holder_name"]
    # ← AC01/AC04: another usable card of the same person is in `cards`
    # ← MD07: stop and recover
    return None


def apply_fixes(fixer):
    for line in s.failures.table().to_dict("records"):
        if line["fix"]:
            continue
        chosen = fixer(line, s.failures.card_status(line["line_id"]))
        if chosen:
            try:
                s.failures.act(line["line_id"], *chosen)
            except SandboxError as error:
                print(line["line_id"], "✗", error)
    return s.failures.table()[["line_id", "code", "fix"]]

apply_fixes(choose_fix)

# %%
# One way to do it
def choose_fix(line, cards):
    this_card = cards[cards["account_number"] == line["account_number"]]
    usable = cards[(cards["account_number"] != line["account_number"])
                   & ~cards["status_now"].isin(["reported_lost", "closed"])]
    if line["code"] == "MD07":
        return "stop_recover", ""
    if line["code"] == "BE01" and len(this_card):
        return "correct_name", this_card["holder_name"].iloc[0]
    if len(this_card) and this_card["status_now"].iloc[0] in {"not_activated", "pin_locked", "frozen", "dormant"}:
        return "activate_card", ""
    if len(usable):
        return "pay_other_account", usable["account_number"].iloc[0]
    return None

apply_fixes(choose_fix)

# %% [markdown] lang="en"
# ## Without code: the failure desk
#
# One returned line at a time with the payee's cards; pick the fix, type the name or card
# number when the fix needs one, **处理 apply**, then **补发（不可撤销） re-issue (final)** every
# fixed line at once, once its confirm box is ticked.

# %%
from sandbox.ui import FailureDesk, ReconciliationDesk

FailureDesk(s)

# %% [markdown] lang="en"
# ## Re-issue (补发)
#
# Each fixed line gets a new line id (`L00010-R1`) that points to its source. Activation takes a
# few days at the branch, so the re-issue waits for it. **补发后钱会打到卡上，不能撤回。** A
# re-issue sends money and cannot be called back: it needs `confirm=True`.

# %%
if (s.failures.table()["fix"] != "").any():
    print(s.failures.reissue(confirm=True))
left = s.failures.table()
print("still returned:", len(left))
s.payout.results()[["line_id", "source_line_id", "payee_name", "status", "code"]].tail(len(failures))

# %%
s.payout.kpis()

# %% [markdown] lang="en"
# ## Reconciliation (对账)
#
# Per program: **allocated = paid + returned + pending + unspent**, to the fen. Count each entry
# once, by its **latest** line: a line returned and then re-issued and credited is paid, not
# returned.
#
# ### Exercise 2 — fill in the statement

# %%
results = s.payout.results()
latest = results.drop_duplicates("entry_id", keep="last")       # ← why keep the last line?
statement = s.reconciliation.template().set_index("program")
for status, column in (("credited", "paid"), ("returned", "returned"), ("pending", "pending")):
    sums = latest[latest["status"] == status].groupby("program")["amount"].sum()
    statement[column] = sums.reindex(statement.index, fill_value=0.0).round(2)
statement["unspent"] = (statement["allocated"] - statement["paid"] - statement["returned"]
                        - statement["pending"]).round(2)
statement

# %% [markdown] lang="en"
# Without code: the reconciliation desk has one row per program; **银行回盘汇总 bank totals** sums
# the banks' lines for you to copy. Submitting (from the desk or the next cell) closes payout.

# %%
ReconciliationDesk(s)

# %%
if "reconciliation" not in s.brief()["stages_done"]:
    feedback = s.reconciliation.submit(statement.reset_index())
    print(feedback)

# %% [markdown] lang="en"
# ## What went wrong, and why it matters
#
# - **A returned line left alone** is a family never paid: the payout score counts its money as
#   denied, and every day a re-issue reaches the card after the deadline (发放时限).
# - **Re-issuing without the fix** only earns a second return; **re-issuing to someone else's
#   card** is 代领 by another name — the platform refuses an account not in the payee's name.
# - **A dead holder's line re-issued** is 冒领 with the platform's help: stop and recover.
# - **Counting the returned line and its re-issue both** double-counts the money: the books stop
#   balancing, and that is exactly where 截留 and 挪用 hide.
#
# Next: **05_disclosure_and_supervision**.
