# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 05 · 信息公开、监督检查
#
# **学习目标**
# - 在公开专栏（一个专栏管公开）公布谁领了多少，个人信息要打码；发布之前先检查表里有没有泄露；
# - 像督导组那样检查一个已经发放完的发放期：把发放记录和几周以后的登记信息比对，写明每一笔违规发放、
#   要追回的金额、整改要求、整改责任单位和整改期限。
#
# **背景。** 公开发放结果，让村民互相监督：这是成本最低的监督。但公布完整的身份证号、卡号、手机号
# 或家庭住址，本身就是泄露隐私，还可能被人拿去冒领：只能公布打码后的号码（412723********1044）。
# 检查在几周以后进行，那时死亡登记已经补上了。周口的督导组“不讲成绩，只看问题”，把“板子打到具体人
# 身上”。
#
# *这个笔记本里，乡镇审核时**没有**做大数据比对，违规的钱发出去了：检查组有实实在在的活要干。*

# %% [markdown] lang="en"
# # 05 · Disclosure and supervision (信息公开、监督检查)
#
# **Learning goals**
# - publish who received what in the public column (一个专栏管公开) with personal data masked,
#   and check a table for leaks before it goes out;
# - inspect a paid period as the supervision team does (督导组): compare the payments with the
#   registries as they stand weeks later, and name each improper payment, the money to recover
#   (追回), the rectification (整改), who is responsible and by when.
#
# **The context.** Publishing results lets villagers check each other — the cheapest control
# there is. But a published full ID or card number, a phone number or a house address is a
# privacy breach that can itself be used for fraud: only masked numbers go out
# (412723********1044). Inspectors come weeks later; by then the death register has caught up.
# Zhoukou's inspectors "did not talk about results, only looked at problems"
# (不讲成绩，只看问题), and pinned each problem on a named person (板子打到具体人身上).
#
# *In this notebook the township reviewed **without** registry checks (no 大数据比对), so improper
# payments went out — the inspection has real work to do.*

# %% setup="disclosure" review="no_registry_checks"
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %% [markdown] lang="zh"
# ## 待公开的草稿
#
# `s.disclosure.draft()` 是本期的发放记录，**带着全部个人信息**：手机号、住址、完整的身份证号和卡号。
# 绝不能原样公开。`s.disclosure.policy()` 说明这个场景允许公开什么（身份证号两头各留几位、卡号留
# 几位、姓名怎么处理）。

# %% [markdown] lang="en"
# ## The draft publication
#
# `s.disclosure.draft()` is the period's payments **with full personal data** — phone, address,
# full ID and card numbers. Never publish it as it is. `s.disclosure.policy()` says what the
# scenario allows (how many ID characters to keep at each end, card digits, names).

# %%
draft = s.disclosure.draft()
policy = s.disclosure.policy()
rules = Masking(**policy)
print(policy)
draft.head()

# %% [markdown] lang="zh"
# ### 练习 1：发布之前找出泄露
#
# `check_published(表, 发放记录, 规则)` 列出每一处泄露，写明行和列。起始代码只给身份证号打了码：
# 运行一下，读一读还有哪些问题；再把卡号也打上码（`mask_card_number`），并删掉手机号和住址两列。

# %% [markdown] lang="en"
# ### Exercise 1 — find the leaks before you publish
#
# `check_published(table, paid, policy)` lists every leak with its row and column. The starter
# masks only the ID numbers: run it and read what is still wrong; then mask the card numbers too
# (`mask_card_number`) and drop the phone and address columns.

# %% tags=["starter"]
mine = draft.copy()
mine["id_number"] = mine["id_number"].map(lambda v: mask_id_number(v, rules))   # ← 还不够  #[zh]
mine["id_number"] = mine["id_number"].map(lambda v: mask_id_number(v, rules))   # ← not enough  #[en]

# %% tags=["solution"]
mine = draft.copy()
mine["id_number"] = mine["id_number"].map(lambda v: mask_id_number(v, rules))
mine["account_number"] = mine["account_number"].map(lambda v: mask_card_number(v, rules))
mine = mine.drop(columns=[c for c in mine.columns if c in {"phone", "address"}])

# %%
leaks = check_published(mine, draft, rules)
print("✓ 没有泄露" if not leaks else f"✗ 还有 {len(leaks)} 处泄露，例如：")  #[zh]
print("✓ no leaks" if not leaks else f"✗ {len(leaks)} leaks left, e.g.:")  #[en]
for leak in leaks[:6]:
    print(" ", leak.text(LANG))

# %% tags=["check"]
assert not leaks, leaks[:3]

# %% [markdown] lang="zh"
# `publish_table` 只保留公开专栏可以显示的列（村、姓名、打码的身份证号和卡号、银行、项目、金额……），
# 给号码打码，删掉手机号，住址只留到村。用同样的办法检查它的结果：

# %% [markdown] lang="en"
# `publish_table` keeps only the columns a public column may show (village, name, masked ID and
# card, bank, program, amount…), masks the numbers, drops phones, and cuts addresses at the
# village. Check its result the same way:

# %%
public = publish_table(draft, rules)
print("泄露：", len(check_published(public, draft, rules)))  #[zh]
print("leaks:", len(check_published(public, draft, rules)))  #[en]
public.head()

# %% [markdown] lang="zh"
# ### 信息公开操作台
#
# 不写代码也能做：操作台上先点“打码”，再点“查泄露”，核对无误后勾选确认，点“公开”。
# 公开以后再打开操作台，它显示已记录的结果。

# %% [markdown] lang="en"
# ### The disclosure desk
#
# Without code: on the desk click mask, then check for leaks; when nothing leaks, tick the
# confirmation and publish. Opened again after publishing, the desk shows the recorded result.

# %%
DisclosureDesk(s)

# %% [markdown] lang="zh"
# **公开后名单挂在公开专栏，不能撤回。** 所以 `publish` 要写 `confirm=True`（不写什么也不会公开）。
# 先查泄露，再公开。在上面的操作台上公开过的，这一步就做完了；用代码公开：把下一个单元格的 `SUBMIT`
# 改成 `True` 再运行。

# %% [markdown] lang="en"
# **公开后名单挂在公开专栏，不能撤回。** A publication stays in the public column: it cannot be
# withdrawn, so `publish` needs `confirm=True` (without it nothing is published). Check the
# leaks first. If you published on the desk above, this step is done; to publish by code, set
# `SUBMIT = True` in the next cell and run it.

# %%
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, "公开上面遮蔽好的名单（不可撤销）", stage="disclosure"):  #[zh]
if by_code(s, SUBMIT, "publish the masked list above (final)", stage="disclosure"):  #[en]
    feedback = s.disclosure.publish(public, confirm=True)
    print(feedback)

# %% tags=["check"]
assert "disclosure" in s.brief()["stages_done"] and len(check_published(public, draft, rules)) == 0

# %% [markdown] lang="zh"
# ## 监督检查
#
# 检查在发放结束几周以后开始。把本期已到账的发放记录，和**检查那天**的登记信息
# （`s.supervision.registries(名称)`）比对，每一笔违规发放写一条检查发现：`line_id`、`fault`（代码或
# 中文名称）、`recover_amount`（追回金额）、`rectification`（整改要求）、`responsible`（整改责任单位）、
# `due_date`（整改期限）。

# %% [markdown] lang="en"
# ## Supervision (监督检查)
#
# The inspection starts some weeks after payout. Compare the period's credited payments with
# the registries **as they stand on the inspection date** (`s.supervision.registries(name)`), and
# write one finding per improper payment: `line_id`, `fault` (a code or its Chinese name),
# `recover_amount`, `rectification` (整改要求), `responsible` (整改责任单位), `due_date` (整改期限).

# %%
dates = s.supervision.start()
print(dates)
payments = s.supervision.payments()
paid = payments[payments["status"] == "credited"]
paid.head()

# %% [markdown] lang="zh"
# ### 监督检查操作台
#
# 不写代码也能做：操作台逐笔列出到账记录和检查那天的登记证据（可以只看有登记命中的）。把违规的那笔
# 记为检查发现：选问题类型，填追回金额、整改要求、责任单位和期限，点“加入”。全部核完后勾选确认，提交。

# %% [markdown] lang="en"
# ### The supervision desk
#
# Without code: the desk lists each credited payment with the registry evidence of the
# inspection date (you may show only lines with a registry hit). Mark an improper one as a
# finding — fault type, money to recover, rectification, who is responsible, by when — and add
# it. When you are through, tick the confirmation and submit.

# %%
SupervisionDesk(s)

# %% [markdown] lang="zh"
# ### 练习 2：找出违规发放
#
# 起始代码只查了死亡登记。把第 02 课的检查加到已到账的发放上：救助类项目里的财政供养人员，以及名下
# 有车或有工商登记的村干部近亲属；同一个身份证号在同一个项目里领了两次。反馈会列出你漏掉的每一笔
# 违规发放，以及能证明它的登记。

# %% [markdown] lang="en"
# ### Exercise 2 — find the improper payments
#
# The starter looks only at the death register. Add the checks from notebook 02 on the paid
# lines: the state payroll and cadres' relatives with a car or business in means-tested aid; the
# same ID paid twice in a program. The feedback names every improper payment you missed, with
# the registry that shows it.

# %%
period_start = pd.Timestamp(s.brief()["period"].split(" ")[0])
deaths = s.supervision.registries("deaths")
died_before = set(deaths.loc[pd.to_datetime(deaths["death_date"]) < period_start, "id_number"])
COLUMNS = ["line_id", "fault", "recover_amount", "rectification", "responsible", "due_date"]


def finding(line, fault):
    return {"line_id": line["line_id"], "fault": fault, "recover_amount": line["amount"],
            "rectification": "停发并追回资金，补充审核", "responsible": "乡镇审核岗",
            "due_date": dates["rectification_due_by"]}

# %% tags=["starter"]
findings = [finding(line, "dead_payee") for line in paid.to_dict("records")
            if line["payee_id_number"] in died_before]
# ← 补上：财政供养人员、有车或有工商登记的村干部近亲属、重复发放  #[zh]
# ← add: payroll, cadre relatives with a vehicle or business, duplicates  #[en]

# %% tags=["solution"]
# 参考答案  #[zh]
# One way to do it  #[en]
MEANS_TESTED = {"dibao", "tekun", "disabled_living"}
payroll = set(s.supervision.registries("payroll")["id_number"])
owners = set(s.supervision.registries("vehicles")["id_number"]) | set(s.supervision.registries("businesses")["id_number"])
favoured = set(s.supervision.registries("cadre_relatives")["id_number"]) & owners

findings = []
for line in paid.to_dict("records"):
    person, means_tested = line["payee_id_number"], line["program"] in MEANS_TESTED
    if person in died_before:
        findings.append(finding(line, "dead_payee"))
    elif means_tested and person in payroll:
        findings.append(finding(line, "public_employee"))
    elif means_tested and person in favoured:
        findings.append(finding(line, "cadre_relative"))
flagged = {f["line_id"] for f in findings}
twice = paid[paid.duplicated(["payee_id_number", "program"], keep="first")]
findings += [finding(line, "duplicate") for line in twice.to_dict("records") if line["line_id"] not in flagged]

# %%
findings = pd.DataFrame(findings, columns=COLUMNS)
findings

# %% [markdown] lang="zh"
# 检查报告是定稿（**检查报告提交后即为定稿，不能再改**）：只提交一次，要写 `confirm=True`。读一读漏掉
# 的：年龄（资格不符）、土地面积（虚报面积）和金额（超标准）要用户籍登记、土地承包和补贴标准来查，
# 和审核时一样。在上面的检查操作台上提交过的，这一步就做完了；用代码提交：把下一个单元格的 `SUBMIT`
# 改成 `True` 再运行。

# %% [markdown] lang="en"
# The inspection report is final (**检查报告提交后即为定稿，不能再改**): submit it once, with
# `confirm=True`. Read the misses — ages (资格不符), land areas (虚报面积) and amounts (超标准) need
# the residents register, the land contracts and the program standards, exactly as in review.
# If you submitted on the inspection desk above, this step is done; to submit by code, set
# `SUBMIT = True` in the next cell and run it.

# %%
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, f"提交上面的 {len(findings)} 条检查发现（不可撤销）", stage="supervision"):  #[zh]
if by_code(s, SUBMIT, f"hand in the {len(findings)} findings above (final)", stage="supervision"):  #[en]
    feedback = s.supervision.submit(findings, confirm=True)
    display(feedback)

# %% tags=["check"]
print(feedback.score)
assert feedback.score >= 97, feedback.score   # 97.4 on the tutorial county

# %% [markdown] lang="zh"
# ## 会出什么错，为什么要紧
#
# - **公开专栏里出现完整的身份证号、卡号或手机号**，就可能被人拿去开户或冒名申领：报告里的隐私计数
#   是实实在在的伤害，不是走形式。
# - **干脆不公开**，就没有了村民之间的监督：那是“六个一”里的“公开”。
# - **审核不做大数据比对**，钱就会发给死人、财政供养人员和村干部亲属；检查时再去追回，对方可能早就
#   花掉了。审核时拦住只要查一下登记；事后追回要花好几个月。
# - **检查只是把名单再确认一遍**，就会漏掉审核漏掉的东西。每一条检查发现都要写明追回多少钱、谁来
#   整改、什么时候整改完。
#
# 下一课：**06_my_report**（我的报告）。

# %% [markdown] lang="en"
# ## What went wrong, and why it matters
#
# - **A full ID, card or phone number in the public column** can be copied to open accounts or
#   claim in someone's name: the privacy count in your report is a real harm, not a formality.
# - **Not publishing at all** removes the villagers' check — the 公开 of the 六个一.
# - **Review without registries** pays the dead, the payroll and cadres' relatives; the inspection
#   then has to recover the money (追回) from people who may have spent it. Stopping it in review
#   costs a look-up; recovering it costs months.
# - **An inspection that only confirms the list** misses what review missed. Every finding names
#   the money to recover and who must rectify, by when.
#
# Next: **06_my_report**.
