# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 03 · 发放
#
# **学习目标**
# - 根据审核通过的名单生成支付申请，并和指标（预算额度）核对；
# - 把申请发给代发银行，看着模拟的日子一天天过去；
# - 读懂银行的回盘文件和发放指标：成功率、社保卡发放占比、到账天数。
#
# **背景。** 财政通过国库集中支付把申请发给签约的代发银行。银行在约定时间内把钱打进各人账户，
# 给持卡人发短信，把打不进去的退回来（退票），并附上 ISO 20022 退回原因代码。银行节假日不上班
# （这个场景的日历里有端午节），每天还有截止时间。周口首次发放成功率 97.38%，98.5% 的资金发到
# 社保卡上：这里的目标也一样。

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
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %% [markdown] lang="zh"
# ## 支付申请
#
# 每条审核通过的申报一行：按户发的项目打到户主的卡，按人发的打到本人的卡。金额已经包含你在审核时
# 做的更正。生成草稿只是看一看：什么也不会改变，审核还没结束时也可以看。

# %% [markdown] lang="en"
# ## The payment request
#
# One line per approved entry: per-household programs go to the head's card, per-person programs
# to the beneficiary's. The amounts include your corrections from review. Building the draft is
# only a look (查看草稿): it changes nothing, and works while review is still open.

# %%
request = s.payout.build_request()
print(f"共 {len(request)} 笔，合计 {request['amount'].sum():,.2f} 元")  #[zh]
print(len(request), "lines, total ¥", f"{request['amount'].sum():,.2f}")  #[en]
request.head()

# %% [markdown] lang="zh"
# ### 练习 1：申请有没有超指标？
#
# 按**项目**汇总申请金额，和 `s.payout.budget()` 里每个项目的指标比。超过指标的申请，平台会整个退回。
# 起始代码按银行汇总了：运行一下，看 ✗，再改成按项目汇总。

# %% [markdown] lang="en"
# ### Exercise 1 — does the request fit the budget line (指标)?
#
# Sum the request per **program** and compare with each program's line in `s.payout.budget()`.
# The platform refuses a request that would pay more than the budget line. The starter sums
# per bank: run it, read the ✗, then sum per program.

# %% tags=["starter"]
requested = request.groupby("bank")["amount"].sum()               # ← 按什么汇总？  #[zh]
requested = request.groupby("bank")["amount"].sum()               # ← summed per what?  #[en]

# %% tags=["solution"]
requested = request.groupby("program")["amount"].sum()

# %%
budget = s.payout.budget().set_index("program")["allocated"]
check = pd.DataFrame({"requested": requested, "allocated": budget})
fits = bool((check["requested"] <= check["allocated"]).all())
print("✓ 每个项目都在指标以内" if fits else "✗ 有的项目超了指标，或者对不上项目：先改好再发放")  #[zh]
print("✓ every program fits its budget line" if fits  #[en]
      else "✗ some programs exceed their budget line, or do not match one: fix it before paying")  #[en]
check

# %% tags=["check"]
assert fits and set(check.index) == set(budget.index) | set(requested.index)

# %% [markdown] lang="zh"
# ## 平台会拒收什么
#
# 有错的申请会被整个退回，一笔也不发，提示里会指出是哪一行。试一试：同一笔写两遍。

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

# %% [markdown] lang="zh"
# ## 不写代码：支付申请操作台
#
# **生成支付申请草稿**按项目和银行列出笔数和金额，旁边是指标；**发送支付申请（不可撤销）**要先勾选
# 确认框才会发出；**银行回盘**显示退回来的结果。

# %% [markdown] lang="en"
# ## Without code: the payment-request desk
#
# **生成支付申请草稿 build draft request** shows lines and money per program and bank beside the
# budget; **发送支付申请（不可撤销） send payment (final)** sends it once its confirm box is
# ticked; **银行回盘 bank results** shows what came back.

# %%
PaymentDesk(s)

# %% [markdown] lang="zh"
# ## 发送（发送支付申请，不可撤销）
#
# **支付申请发出后钱会打到各人卡上，不能撤回。** 所以发送要写 `confirm=True`（不写，平台只提醒
# 一句），而且必须先结束审核。先和指标核对，再发送。
#
# 银行的模拟日子一天天过去（先是进度条，再是一张按天统计到账和失败笔数的图），从模拟时钟上的“今天”
# 开始算：入户核查和公示用掉的每一天，都已经从发放时限里扣掉了（`s.brief()["deadline"]`）。
#
# 在上面的操作台上发送过的，下面的单元格只显示结果。用代码发送：把 `SUBMIT` 改成 `True` 再运行。

# %% [markdown] lang="en"
# ## Send it (发送支付申请 — final)
#
# **支付申请发出后钱会打到各人卡上，不能撤回。** Once sent, the money goes to the cards and cannot be
# called back, so sending needs `confirm=True` (without it the platform only says so), and review
# must be closed first. Check the request against the budget, then send.
#
# The banks' simulated days pass (a progress bar, then a chart of credited and failed lines per
# day), starting from today on the clock: every day spent on visits and 公示 is already gone
# from the payment deadline (`s.brief()["deadline"]`).
#
# If you sent it from the desk above, the cell below only shows the results. To send by code:
# set `SUBMIT = True` and run it.

# %%
SUBMIT = False  #[switch]
print(s.brief()["deadline"])
if by_code(s, SUBMIT, "发送上面核对过的支付申请（不可撤销）", stage="payout"):  #[zh]
if by_code(s, SUBMIT, "send the request checked above (final)", stage="payout"):  #[en]
    print(s.payout.submit(request, confirm=True))
results = s.payout.results()
sent_yet = not results.empty  # 下面的单元格读银行的结果  #[zh]
sent_yet = not results.empty  # the cells below read the banks' results  #[en]
if not sent_yet:
    print("支付申请还没有发送：发送以后，再运行下面的单元格。")  #[zh]
    print("The request has not been sent yet: send it, then run the cells below.")  #[en]
results["status"].value_counts() if sent_yet else None

# %%
# 各银行的回盘文件，和银行发回来的一样。  #[zh]
# Each bank's result file (回盘文件), as the bank returns it.  #[en]
for bank, frame in s.payout.result_files().items():
    print(bank, len(frame), "笔")  #[zh]
    print(bank, len(frame), "lines")  #[en]
    display(frame.head(3))

# %%
s.payout.timeline()

# %% [markdown] lang="zh"
# ### 练习 2：自己算成功率
#
# 首次发放成功率 = 第一次申请中**到账的笔数** ÷ **已有结果的笔数**。`first_pass_rate` 拿到第一次申请
# 里已有结果的那些笔（`settled`），算出成功率，和平台的指标比。起始代码按金额算了：成功率是按笔数
# 算的，改过来。

# %% [markdown] lang="en"
# ### Exercise 2 — compute the success rate yourself
#
# The first-pass success rate (首次发放成功率) is credited **lines** ÷ settled **lines** of the
# first request. `first_pass_rate` receives the settled lines of the first request (`settled`)
# and returns the rate, compared below with the platform's KPI. The starter computes it by
# money: the rate counts lines, so change it.

# %% tags=["starter"]
def first_pass_rate(settled):
    return settled.loc[settled["status"] == "credited", "amount"].sum() / settled["amount"].sum()  # ← 按笔数  #[zh]
    return settled.loc[settled["status"] == "credited", "amount"].sum() / settled["amount"].sum()  # ← by lines  #[en]

# %% tags=["solution"]
def first_pass_rate(settled):
    return (settled["status"] == "credited").mean()

# %%
kpis = s.payout.kpis()
same = False
if sent_yet:
    first = results[results["run"] == 1]
    my_rate = first_pass_rate(first[first["status"] != "pending"])
    same = abs(my_rate - kpis["first_pass_success_rate"]) < 1e-4
    print(f"我算的 {my_rate:.2%} · 平台 {kpis['first_pass_success_rate']:.2%} · 周口 2022 年：97.38%")  #[zh]
    print("✓ 一样" if same else "✗ 不一样：哪些笔数该算进去？")  #[zh]
    print(f"mine {my_rate:.2%} · platform {kpis['first_pass_success_rate']:.2%} · Zhoukou 2022: 97.38%")  #[en]
    print("✓ same" if same else "✗ different: which lines count?")  #[en]
else:
    print("支付申请还没有发送，还没有成功率可算。")  #[zh]
    print("Nothing has been sent yet: there is no rate to compute.")  #[en]
kpis

# %% tags=["check"]
assert same
assert kpis["first_pass_success_rate"] >= 0.80, kpis   # 81.9% on the tutorial county: it is richer in unactivated cards than Zhoukou

# %% [markdown] lang="zh"
# ## 为什么会退回
#
# 银行返回的代码、在补贴发放中通常的原因，以及该怎么处理：

# %% [markdown] lang="en"
# ## Why lines come back
#
# The codes a bank returns, what usually causes each in a subsidy payout, and what to do:

# %%
from sandbox.bank import RETURN_CODES

pd.DataFrame([{"代码": c.code, "名称": c.zh, "常见原因": c.cause.zh, "怎么处理": c.what_to_do.zh}  #[zh]
              for c in RETURN_CODES.values()])  #[zh]
pd.DataFrame([{"code": c.code, "中文": c.zh, "English": c.en, "cause": c.cause.en, "what to do": c.what_to_do.en}  #[en]
              for c in RETURN_CODES.values()])  #[en]

# %%
if sent_yet:
    returned = results[results["status"] == "returned"]
    display(returned[["line_id", "payee_name", "bank", "amount", "code", "reason_zh"]])  #[zh]
    display(returned[["line_id", "payee_name", "bank", "amount", "code", "reason_zh", "reason_en"]])  #[en]

# %% [markdown] lang="zh"
# ## 会出什么错，为什么要紧
#
# - **社保卡没激活（AG01）**是最常见的退回原因：改革把钱转到社保卡上的速度，比村民去银行激活卡
#   快。周口的工作人员为了社保卡激活挨家挨户上门。
# - **审核时放过的录入错误**（姓名、卡号）会以 BE01、AC01 退回：每一笔都让一户人家多等，让经办人
#   多干一天。
# - **超过指标的申请**根本发不出去：审核时的错误（超标准、虚报面积）到这里就变成了预算里没有的钱。
#
# 下一课：**04_failures_and_reconciliation**：处理退回的、补发，再把账对平。

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
