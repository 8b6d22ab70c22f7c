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
# # 03 · Payout (发放)
#
# **Learning goals**
# - build the payment request (支付申请) from the approved list and check it against the budget
#   line (指标);
# - send it to the paying banks (代发银行) and watch the simulated days pass;
# - read the banks' result files (回盘文件) and the payout KPIs: success rate, social security
#   card share, days to pay.
#
# **The context.** Finance sends the request through treasury payment (国库集中支付) to the
# contracted banks. Each bank credits the accounts within its agreed time, sends each holder an
# SMS, and returns the lines it could not pay (退票) with an ISO 20022 reason code. Banks do not
# work on holidays (端午节 is in this scenario's calendar) and have a daily cut-off. Zhoukou paid
# 97.38% first time and 98.5% of its money to social security cards — the goals here too.

# %% setup="payout"
# (生成) The build script writes this cell: see scripts/build_notebooks.py

# %% [markdown] lang="en"
# ## The payment request
#
# One line per approved entry: per-household programs go to the head's card, per-person programs
# to the beneficiary's. The amounts include your corrections from review. Building the draft is
# only a look (查看草稿): it changes nothing, and works while review is still open.

# %%
import pandas as pd

request = s.payout.build_request()
print(len(request), "lines, total ¥", f"{request['amount'].sum():,.2f}")
request.head()

# %% [markdown] lang="en"
# ### Exercise 1 — does the request fit the budget line (指标)?
#
# Sum the request per program and compare with `s.payout.budget()`. The platform refuses a
# request that would pay more than the budget line.

# %%
budget = s.payout.budget().set_index("program")["allocated"]
requested = request.groupby("program")["amount"].sum()           # ← per program
over = requested[requested > budget.reindex(requested.index)]
print("over budget:", list(over.index) or "none")
check = pd.DataFrame({"requested": requested, "allocated": budget})
print("✓ every program fits its budget line" if (check["requested"] <= check["allocated"]).all()
      else "✗ some programs exceed their budget line: fix review before paying")
check

# %% [markdown] lang="en"
# ## What the platform refuses
#
# A request with a mistake is rejected whole — nothing is sent — and the message names the row.
# Try it: the same line twice.

# %%
broken = pd.concat([request, request.head(1)])
try:
    s.payout.submit(broken)
except SandboxError as error:
    print(error)

# %% [markdown] lang="en"
# ## Without code: the payment-request desk
#
# **生成支付申请草稿 build draft request** shows lines and money per program and bank beside the
# budget; **发送支付申请（不可撤销） send payment (final)** sends it once its confirm box is
# ticked; **银行回盘 bank results** shows what came back.

# %%
from sandbox.ui import PaymentDesk

PaymentDesk(s)

# %% [markdown] lang="en"
# ## Send it (发送支付申请 — final)
#
# **支付申请发出后钱会打到各人卡上，不能撤回。** Once sent, the money goes to the cards and cannot be
# called back, so sending needs `confirm=True` (without it the platform only says so), and review
# must be closed first. Check the request against the budget, then send.
#
# The banks' simulated days pass (a progress bar, then a chart of credited and failed lines per
# day), starting from today on the clock: every day spent on visits and 公示 is already gone
# from the payment deadline (`s.brief()["deadline"]`). If you already sent it from the desk,
# this cell only shows the results.

# %%
print(s.brief()["deadline"])
if s.payout.results().empty:
    sent = s.payout.submit(request, confirm=True)
    print(sent)
results = s.payout.results()
results["status"].value_counts()

# %%
# Each bank's result file (回盘文件), as the bank returns it.
for bank, frame in s.payout.result_files().items():
    print(bank, len(frame), "lines")
frame.head()

# %%
s.payout.timeline()

# %% [markdown] lang="en"
# ### Exercise 2 — compute the success rate yourself
#
# The first-pass success rate (首次发放成功率) is credited lines ÷ settled lines of the first request.
# Compute it from `results` and compare it with the platform's KPI.

# %%
first = results[results["run"] == 1]
settled = first[first["status"] != "pending"]
my_rate = (settled["status"] == "credited").mean()             # ← your formula
kpis = s.payout.kpis()
print(f"mine {my_rate:.2%} · platform {kpis['first_pass_success_rate']:.2%} · Zhoukou 2022: 97.38%")
print("✓ same" if abs(my_rate - kpis["first_pass_success_rate"]) < 1e-4 else "✗ different: which lines count?")
kpis

# %% [markdown] lang="en"
# ## Why lines come back
#
# The codes a bank returns, what usually causes each in a subsidy payout, and what to do:

# %%
from sandbox.bank import RETURN_CODES

pd.DataFrame([{"code": c.code, "中文": c.zh, "English": c.en, "cause": c.cause.en, "what to do": c.what_to_do.en}
              for c in RETURN_CODES.values()])

# %%
returned = results[results["status"] == "returned"]
returned[["line_id", "payee_name", "bank", "amount", "code", "reason_zh", "reason_en"]]

# %% [markdown] lang="en"
# ## What went wrong, and why it matters
#
# - **A card that was never activated (AG01)** is the most common return: the reform moved money
#   to social security cards faster than villagers went to the bank to activate them. Zhoukou's
#   staff went door to door for 社保卡激活.
# - **Typos approved in review** (names, card numbers) come back as BE01 and AC01: each one a
#   delay for a family and a day of work for a clerk.
# - **A request above the budget line** cannot be paid at all: review errors (超标准, 虚报面积)
#   show up here as money the budget does not have.
#
# Next: **04_failures_and_reconciliation** — fix what came back, re-issue, and balance the books.
