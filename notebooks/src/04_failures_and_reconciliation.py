# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 04 · 失败处理、补发、对账
#
# **学习目标**
# - 根据退回代码和收款人的卡，查明每一笔退票为什么退回；
# - 选对处理办法：激活卡、更正户名、改用本人的另一个账户，或者持卡人已去世时停发追回；
# - 补发时保证一笔钱不会发两次；然后对账，精确到分：
#   指标 = 已发放 + 退回 + 在途 + 结余。
#
# **背景。** 发放失败、错发、漏发的，由主管部门核实、财政复核后重新发放。补发的那一笔和它所替代的
# 原来那一笔关联在一起（`source_line_id`），同一笔补贴就不可能发两次。发放期结束时账必须分毫不差：
# 说不清的一分钱，正是截留和挪用藏身的地方。
#
# *这个笔记本里，一位赶时间的同事把录错的姓名和卡号原样通过了，银行因此退回了好几笔：你的任务是
# 把它们处理干净。*

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
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %%
failures = s.failures.table()
failures

# %% [markdown] lang="zh"
# ## 先查清楚，再处理
#
# `s.failures.card_status(line_id)` 列出收款人在卡务登记里**现在**的每一张卡和每一个账户
# （`status_now`），以及银行登记的户名（`holder_name`）。

# %% [markdown] lang="en"
# ## Look before you fix
#
# `s.failures.card_status(line_id)` shows every card and account of the payee as the card
# register has it **now** (`status_now`), with the name the bank holds (`holder_name`).

# %%
if len(failures):
    first = failures["line_id"].iloc[0]
    print(failures.iloc[0][["code", "reason", "what_to_do"]].to_string())
    display(s.failures.card_status(first))
else:
    print("没有待处理的退回明细：都已处理、补发过了")  #[zh]
    print("No returned line is waiting: every one has been fixed and re-issued")  #[en]

# %% [markdown] lang="zh"
# | 代码 | 常见原因 | 处理办法（`s.failures.act(line_id, 办法, 值)`） |
# |---|---|---|
# | AG01 账户未激活 | 社保卡一直没激活 | `activate_card`：持卡人到网点激活，之后再补发 |
# | AC06 账户冻结 | 密码锁定、冻结、挂失 | 网点能解锁的用 `activate_card`，否则 `pay_other_account` |
# | BE01 户名不符 | 姓名录成了同音字 | `correct_name`，填银行登记的户名 |
# | AC01 账号错误 | 卡号录错 | `pay_other_account`，填登记里本人的卡号 |
# | AC04 已销户 | 卡已注销或换卡 | `pay_other_account`，填新卡卡号 |
# | MD07 持卡人死亡 | 持卡人已去世 | `stop_recover`：绝不能补发 |
#
# ### 练习 1：为每一笔选处理办法
#
# 把 `choose_fix` 写完整。它拿到失败表里的一行和这位收款人的卡，返回 `(办法, 值)`。起始代码只处理
# 了 AG01。在下面第二个单元格里把 `SUBMIT` 改成 `True` 再运行，看还有多少笔没有处理办法，再按上表
# 把其余的补上。（不写代码的，用后面的失败处理操作台：这些单元格保持原样，运行了也什么都不做。）

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
# returns `(action, value)`. The starter only handles AG01: set `SUBMIT = True` in the second
# cell below and run it, see how many lines still have no fix, then add the others from the
# table above. (Without code, use the failure desk further down: these cells, left as they
# are, do nothing when they run.)

# %% tags=["starter"]
def choose_fix(line, cards):
    this_card = cards[cards["account_number"] == line["account_number"]]
    if line["code"] == "AG01":
        return "activate_card", ""
    # ← BE01：银行登记的户名在 this_card["holder_name"] 里  #[zh]
    # ← AC01/AC04：同一个人另一张能用的卡在 cards 里  #[zh]
    # ← MD07：停发追回  #[zh]
    # ← BE01: the bank's holder name is in this_card["holder_name"]  #[en]
    # ← AC01/AC04: another usable card of the same person is in `cards`  #[en]
    # ← MD07: stop and recover  #[en]
    return None

# %% tags=["solution"]
# 参考答案  #[zh]
# One way to do it  #[en]
def choose_fix(line, cards):
    this_card = cards[cards["account_number"] == line["account_number"]]
    usable = cards[(cards["account_number"] != line["account_number"])
                   & ~cards["status_now"].isin(["reported_lost", "closed"])]
    if line["code"] == "MD07":
        return "stop_recover", ""
    if line["code"] == "BE01" and len(this_card):
        return "correct_name", this_card["holder_name"].iloc[0]
    status = this_card["status_now"].iloc[0] if len(this_card) else ""
    if status in {"not_activated", "pin_locked", "frozen", "dormant", "reported_lost"}:
        return "activate_card", ""  # a branch visit: activate, unlock, unfreeze or replace the lost card
    if len(usable):
        return "pay_other_account", usable["account_number"].iloc[0]
    if status == "closed":
        return "new_card", ""  # no other usable account: the branch issues a new card
    return None

# %%
SUBMIT = False  #[switch]


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


if by_code(s, SUBMIT, "按 choose_fix 为每一笔退回的明细选处理办法"):  #[zh]
if by_code(s, SUBMIT, "choose a fix for every returned line with choose_fix"):  #[en]
    apply_fixes(choose_fix)
fixed = s.failures.table()[["line_id", "code", "fix"]]
unfixed = int((fixed["fix"] == "").sum())
print("✓ 每一笔都选好了处理办法" if not unfixed else f"✗ 还有 {unfixed} 笔没有处理办法")  #[zh]
print("✓ every line has a fix" if not unfixed else f"✗ {unfixed} lines still have no fix")  #[en]
fixed

# %% tags=["check"]
assert unfixed == 0, fixed

# %% [markdown] lang="zh"
# ## 不写代码：失败处理操作台
#
# 一次看一笔退回的和收款人的卡；选处理办法，需要时填上户名或卡号，点**处理**；全部处理好以后，
# 勾选确认框，点**补发（不可撤销）**，把处理过的一次补发出去。

# %% [markdown] lang="en"
# ## Without code: the failure desk
#
# One returned line at a time with the payee's cards; pick the fix, type the name or card
# number when the fix needs one, **处理 apply**, then **补发（不可撤销） re-issue (final)** every
# fixed line at once, once its confirm box is ticked.

# %%
FailureDesk(s)

# %% [markdown] lang="zh"
# ## 补发
#
# 每一笔处理过的都会得到一个新的编号（`L00010-R1`），指向原来那一笔。激活卡要到网点办，需要几天，
# 补发会等它办好。**补发后钱会打到卡上，不能撤回。** 所以补发要写 `confirm=True`；下面的单元格
# 要把 `SUBMIT` 改成 `True` 才会补发（在操作台上补发过的，就不用了）。

# %% [markdown] lang="en"
# ## Re-issue (补发)
#
# Each fixed line gets a new line id (`L00010-R1`) that points to its source. Activation takes a
# few days at the branch, so the re-issue waits for it. **补发后钱会打到卡上，不能撤回。** A
# re-issue sends money and cannot be called back: it needs `confirm=True`, and the cell below
# re-issues only with `SUBMIT = True` (not needed if you re-issued on the desk).

# %%
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, "补发每一笔已选好处理办法的明细（不可撤销）"):  #[zh]
if by_code(s, SUBMIT, "re-issue every line with a fix chosen (final)"):  #[en]
    if (s.failures.table()["fix"] != "").any():
        print(s.failures.reissue(confirm=True))
left = s.failures.table()
print("仍然退回的：", len(left), "笔")  #[zh]
print("still returned:", len(left))  #[en]
results = s.payout.results()
reissued = results[results["source_line_id"] != ""]  # 补发的每一笔，和它替代的那一笔  #[zh]
reissued = results[results["source_line_id"] != ""]  # every re-issued line, and the line it replaces  #[en]
reissued[["line_id", "source_line_id", "payee_name", "status", "code"]]

# %%
kpis = s.payout.kpis()
kpis

# %% tags=["check"]
assert kpis["final_success_rate"] >= 0.95, kpis

# %% [markdown] lang="zh"
# ## 对账
#
# 按项目：**指标 = 已发放 + 退回 + 在途 + 结余**，精确到分。每条申报只按它**最新的**那一笔算：
# 退回后补发并到账的，算已发放，不算退回。
#
# ### 练习 2：填对账表
#
# 起始代码每条申报取的是**第一**笔（`keep="first"`）：退回后又补发到账的钱，被算成了退回。运行一下，
# 看核对结果，再改。

# %% [markdown] lang="en"
# ## Reconciliation (对账)
#
# Per program: **allocated = paid + returned + pending + unspent**, to the fen. Count each entry
# once, by its **latest** line: a line returned and then re-issued and credited is paid, not
# returned.
#
# ### Exercise 2 — fill in the statement
#
# The starter takes each entry's **first** line (`keep="first"`): money returned and then
# re-issued and credited is counted as returned. Run it, read the check, then fix it.

# %% tags=["starter"]
results = s.payout.results()
latest = results.drop_duplicates("entry_id", keep="first")       # ← 每条申报该取哪一笔？  #[zh]
latest = results.drop_duplicates("entry_id", keep="first")       # ← which line of each entry counts?  #[en]

# %% tags=["solution"]
results = s.payout.results()
latest = results.drop_duplicates("entry_id", keep="last")

# %%
statement = s.reconciliation.template().set_index("program")
for status, column in (("credited", "paid"), ("returned", "returned"), ("pending", "pending")):
    sums = latest[latest["status"] == status].groupby("program")["amount"].sum()
    statement[column] = sums.reindex(statement.index, fill_value=0.0).round(2)
statement["unspent"] = (statement["allocated"] - statement["paid"] - statement["returned"]
                        - statement["pending"]).round(2)
# 核对：已发放应当等于银行所有到账笔数的合计  #[zh]
# Check: paid must equal everything the banks credited  #[en]
credited = results[results["status"] == "credited"].groupby("program")["amount"].sum()
balanced = bool((statement["paid"] - credited.reindex(statement.index, fill_value=0.0)).abs().max() < 0.005)
print("✓ 已发放和银行到账合计一致" if balanced else "✗ 已发放和银行到账合计对不上：哪一笔该算？")  #[zh]
print("✓ paid matches what the banks credited" if balanced else "✗ paid differs from what the banks credited: which line counts?")  #[en]
statement

# %% tags=["check"]
assert balanced

# %% [markdown] lang="zh"
# 不写代码：对账操作台每个项目一行；**银行回盘汇总**替你把银行的到账加好，照着填。提交（在操作台上，
# 或者把下一个单元格的 `SUBMIT` 改成 `True` 再运行）之后，发放环节就结束了。

# %% [markdown] lang="en"
# Without code: the reconciliation desk has one row per program; **银行回盘汇总 bank totals** sums
# the banks' lines for you to copy. Submitting (from the desk, or from the next cell with
# `SUBMIT = True`) closes payout.

# %%
ReconciliationDesk(s)

# %%
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, "提交上面算出的对账单（不可撤销）", stage="reconciliation"):  #[zh]
if by_code(s, SUBMIT, "hand in the statement computed above (final)", stage="reconciliation"):  #[en]
    feedback = s.reconciliation.submit(statement.reset_index())
    print(feedback)

# %% tags=["check"]
assert feedback.score >= 95, feedback.score

# %% [markdown] lang="zh"
# ## 会出什么错，为什么要紧
#
# - **退回的一笔放着不管**，就是一户人家一直没拿到钱：发放得分把这笔钱算作“应发未发”，补发每晚一天
#   过了发放时限，也要扣分。
# - **没处理就补发**只会再退回一次；**补发到别人的卡上**换个说法就是代领：平台会拒绝不是收款人本人
#   名下的账户。
# - **给已去世的持卡人补发**，就是平台帮着冒领：停发并追回。
# - **退回的那笔和补发的那笔都算上**，钱就重复计算了：账对不平，而这正是截留和挪用藏身的地方。
#
# 下一课：**05_disclosure_and_supervision**（信息公开、监督检查）。

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
