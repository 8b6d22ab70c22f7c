# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 02 · 审核、公示
#
# **学习目标**
# - 看一条申报和它在各登记里的全部命中记录（大数据比对），然后做决定：通过、不通过（写明理由）、
#   更正某个字段，或者转入户核查；
# - 每一种违规情况，都能用证明它的那份登记把它找出来；
# - 把名单公示 7 天，答复群众的异议，然后结束审核：这一步不能撤销，要用 `confirm=True` 确认。
#
# **背景。** 先由乡镇初审，再由主管部门审核，最后财政复核（三级审核）。审核就是把每一位申领人
# 和其他部门的登记逐一比对：死亡登记、财政供养人员、村干部近亲属、车辆登记、工商登记、土地承包。
# 审核通过的名单在村里公示 7 天，让乡亲们提意见。冒领和优亲厚友要在这里拦住，符合条件的人家
# 也可能在这里被错误拒绝：两种错误都算。

# %% [markdown] lang="en"
# # 02 · Review and posting (审核、公示)
#
# **Learning goals**
# - read one entry with every registry hit beside it (大数据比对) and decide: approve 通过,
#   reject 不通过 (with a reason), correct 更正 a field, or refer for a home visit 入户核查;
# - find each kind of irregularity with the registry that proves it;
# - post the list for seven days (公示), answer villagers' objections, and close review — a
#   final step (不可撤销), confirmed with `confirm=True`.
#
# **The context.** The township does the first review, then the line department, then finance
# (三级审核). Review compares every claimant with other offices' registries: deaths (死亡登记),
# the state payroll (财政供养人员), cadres and their relatives (村干部近亲属), vehicles (车辆登记),
# businesses (工商登记), land contracts (土地承包). Then the approved list is posted in the village
# for seven days so neighbours can object. This is where 冒领 and 优亲厚友 are stopped — and where
# an eligible family can be wrongly denied. Both count.

# %% setup="review"
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %% [markdown] lang="zh"
# ## 待审核的名单

# %% [markdown] lang="en"
# ## The roster under review

# %%
roster = s.review.roster()
period_start = pd.Timestamp(s.brief()["period"].split(" ")[0])
print(f"共 {len(roster)} 条，发放期从 {period_start:%Y-%m-%d} 开始")  #[zh]
print(len(roster), f"entries; the period starts {period_start:%Y-%m-%d}")  #[en]
roster.head()

# %% [markdown] lang="zh"
# ## 一条申报和它的证据
#
# `s.review.lookup(条目号)` 返回这条申报本身、自动校验结果，以及各登记中与它有关的每一行（按身份证号、
# 卡号和姓名查找）。下面取第一条姓名与户籍登记不一致的申报：这是同音字录错，银行会以“户名不符”
# （BE01）退回。

# %% [markdown] lang="en"
# ## One entry, with its evidence
#
# `s.review.lookup(entry_id)` returns the entry, the automatic checks, and every registry row
# that concerns it (by its ID, its card number and its name). Below: the first entry whose name
# is not the one the residents register has for that ID — a homophone typo (同音字) the bank
# would return as 户名不符 (BE01).

# %%
residents = s.registries.residents.set_index("id_number")["name"]
name_differs = roster[roster["id_number"].map(residents).notna()
                      & (roster["id_number"].map(residents) != roster["name"])]
example = name_differs["entry_id"].iloc[0]
found = s.review.lookup(example)
print(found["entry"])
print(found["checks"])
for registry, rows in found["hits"].items():
    print("\n==", registry)
    print(rows.to_string(index=False))

# %% [markdown] lang="zh"
# ## 四种决定
#
# | 决定 | 什么时候用 | 例子 |
# |---|---|---|
# | **通过**（approve） | 符合条件，信息无误 | |
# | **不通过**（reject）+ 理由 | 不符合条件，并且登记能证明 | 冒领（死亡人员）、公职人员、优亲厚友、重复发放、资格不符 |
# | **更正**（correct）字段和正确值 | 符合条件，但某个字段错了 | 户名不符、身份证号、卡号、虚报面积、超标准、代领账户 |
# | **入户核查**（refer） | 登记信息定不下来 | 几个模拟日后核查报告返回 |
#
# 拒绝时可以选的理由（操作台下拉框里也是这张表）：

# %% [markdown] lang="en"
# ## The four decisions
#
# | decision | when | example |
# |---|---|---|
# | **approve 通过** | entitled, data right | |
# | **reject 不通过** + reason | not entitled: the registry proves it | 冒领 dead payee, 公职人员, 优亲厚友, 重复发放, 资格不符 |
# | **correct 更正** field, value | entitled, but a field is wrong | 户名不符 name, 身份证号, 卡号, 虚报面积 quantity, 超标准 amount, 代领 account |
# | **refer 入户核查** | the registries cannot settle it | the report comes back in a few simulated days |
#
# The reasons a rejection may give (the desk's dropdown shows the same list):

# %%
from sandbox.irregularities import FAULTS

pd.DataFrame([{"代码": f.code, "名称": f.zh, "处理": "更正" if f.correctable else "不通过",  #[zh]
               "证据": "、".join(f.evidence), "规则": f.rule_zh} for f in FAULTS.values()])  #[zh]
pd.DataFrame([{"code": f.code, "中文": f.zh, "English": f.en, "fix or stop": "correct" if f.correctable else "reject",  #[en]
               "evidence": ", ".join(f.evidence), "rule": f.rule_en} for f in FAULTS.values()])  #[en]

# %% [markdown] lang="zh"
# ## 不写代码：审核操作台
#
# 一次看一条申报和它的登记命中记录。选择**通过**、**不通过**（先选理由）、**更正**（选字段，填正确
# 的值）或**入户核查**。练习模式下，按钮下面那一行马上告诉你这个决定和证据是否相符。每点一次按钮，
# 就调用一次 `s.review.decide(...)`，和写代码做的是同一件事；你的决定还会另存一份到本笔记本旁边的
# `my_decisions.csv`。

# %% [markdown] lang="en"
# ## Without code: the review desk
#
# One entry at a time with its registry hits. Choose **通过 approve**, **不通过 reject** (pick a
# reason first), **更正 correct** (pick the field, type the right value) or **入户核查 refer**. In
# practice mode the line under the buttons tells you at once whether the decision fits the
# evidence. Every click calls `s.review.decide(...)` — the same thing code does — and a copy of
# your decisions is saved to `my_decisions.csv` beside this notebook.

# %%
desk = ReviewDesk(s, autosave="my_decisions.csv")
desk

# %%
# 平台到目前为止记录的决定（在操作台上点过之后，再运行一次看看）。  #[zh]
# What the platform has recorded so far (run again after clicking on the desk).  #[en]
print(recorded_summary(s))

# %% [markdown] lang="zh"
# ## 写代码：一次查一种问题
#
# 每个练习做一张小小的决定表并提交，紧接着的反馈逐条告诉你对不对。同一条申报后提交的决定会覆盖
# 先前的，所以可以反复改、反复试。每个练习的起始代码都**有错或不完整**：先运行，看反馈里的 ✗，
# 再改 `←` 标出的地方。
#
# 提交决定的单元格第一行是 `SUBMIT = False`：这样它只显示它会提交什么，不会改动你在操作台上做的
# 决定（内核重启后“运行全部单元格”也一样）。要用代码提交，就把它改成 `True` 再运行那个单元格。
#
# ### 练习 1：冒领，给死人发钱
#
# 规则：**发放期开始之前已经死亡的人**，这个月不能再发。发放期开始以后才去世的，这个月仍然应发
# （这是“看着像”的情况：拒绝了，伤害的是这户人家）。
#
# 起始代码把死亡登记里发放期之前死亡的人全部拒绝。可是登记并不完美：
# - 死亡登记里有人，户籍里却还是“在世”，又没有火化记录或医保“因死亡终止”来印证：这是部门之间
#   的矛盾，不能单凭它拒绝（转入户核查，或者先放一放）；
# - 有的死亡，死亡登记还没登上，殡葬火化记录（`s.registries.cremations`）和医保参保状态
#   （`s.registries.medical_insurance`，`reason` 为“死亡”，`changed_date` 是最晚的死亡日期）已经知道了。
#
# 运行起始代码，看 ✗；然后改写 `died`，让它只包含有印证的死亡。

# %% [markdown] lang="en"
# ## With code: one irregularity at a time
#
# Each exercise builds a small table of decisions and submits it; the feedback right after
# tells you, entry by entry, whether you were right. Later submissions for the same entry
# replace earlier ones, so you can try again. Every starter below is **wrong or incomplete**:
# run it, read the ✗ in the feedback, then change what the `←` points at.
#
# Each cell that submits starts with `SUBMIT = False`: so it only says what it would submit and
# leaves what you did on the desk alone (also when you run all cells after a restart). To
# submit by code, set it to `True` and run that cell.
#
# ### Exercise 1 — 冒领: payments to the dead
#
# The rule: **nobody who died before the period starts** may be paid. Someone who died *after*
# it started is still entitled this month (a look-alike: rejecting them harms the family).
#
# The starter rejects everyone the death register lists as dead before the period. But
# registries are imperfect:
# - someone the death register lists, whom the residents register (户籍) still lists as living,
#   with no cremation record and no medical insurance ended for death to confirm it: that is a
#   conflict between offices, not a proof (refer it, or leave it for now);
# - some deaths the death register does not have yet are known to the funeral home
#   (`s.registries.cremations`) and to medical insurance (`s.registries.medical_insurance`,
#   `reason` 死亡; its `changed_date` is the latest the death can be).
#
# Run the starter, read the ✗, then rewrite `died` so that it holds only confirmed deaths.

# %% tags=["starter"]
deaths = s.registries.deaths
died = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"])))   # ← 只留有印证的死亡  #[zh]
died = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"])))   # ← confirmed deaths only  #[en]

# %% tags=["solution"]
# 参考答案：火化记录和医保“因死亡终止”能证明死亡；死亡登记要有它们印证，或者户籍里已经注销  #[zh]
# One way to do it: cremations and 医保 ended for death prove a death; the death register  #[en]
# counts when one of them confirms it, or when 户籍 no longer lists the person  #[en]
deaths = s.registries.deaths
cremated = s.registries.cremations
insurance = s.registries.medical_insurance
ended = insurance[insurance["reason"].astype(str).str.contains("死亡")]
died = dict(zip(ended["id_number"], pd.to_datetime(ended["changed_date"])))
died.update(zip(cremated["id_number"], pd.to_datetime(cremated["death_date"])))
living = set(s.registries.residents["id_number"])
for id_number, day in zip(deaths["id_number"], pd.to_datetime(deaths["death_date"])):
    if id_number in died or id_number not in living:
        died[id_number] = day

# %%
to_reject = roster[roster["id_number"].map(died) < period_start]
decisions = pd.DataFrame({"entry_id": to_reject["entry_id"], "decision": "reject", "reason": "dead_payee"})
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, f"提交 {len(decisions)} 条“不通过（冒领）”的决定", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"submit {len(decisions)} rejections (dead payee)", stage="review"):  #[en]
    ex1 = s.review.submit(decisions)
    print(verdict_text(ex1, decisions["entry_id"], LANG))
to_reject[["entry_id", "name", "program", "id_number"]]

# %% tags=["check"]
assert "✗" not in verdict_text(ex1, decisions["entry_id"], LANG) and len(decisions) >= 2

# %% [markdown] lang="zh"
# ### 练习 2：公职人员领救助
#
# 财政供养人员及其家庭不能领低保、特困供养和困难残疾人生活补贴（这些是要看家庭经济状况的救助
# 类补贴）。养老金和耕地地力保护补贴**不**看经济状况：一位教师家里的承包地照样领耕地补贴；
# 已经退休的人员也不再是在编在岗。还有一种：财政供养人员申领耕地地力保护补贴，土地承包登记里却
# 没有他的承包地。起始代码把财政供养名单上每个人的每一项补贴都拒了：把它限定到救助类项目
# （`MEANS_TESTED`），再加上没有承包地却领耕地补贴的。

# %% [markdown] lang="en"
# ### Exercise 2 — 公职人员: the state payroll in means-tested aid
#
# People on the state payroll (财政供养人员) and their households may not receive 低保, 特困 or the
# disabled living subsidy. Pensions and farmland subsidies are **not** means-tested: a teacher
# still gets the farmland subsidy for the family's land, and a retiree is no longer on the
# staff. One more kind: someone on the payroll claiming the farmland subsidy with no contracted
# land in the land contracts. The starter rejects every claim by anyone on the payroll list:
# limit it to the means-tested programs (`MEANS_TESTED`), plus farmland claims without land.

# %% tags=["starter"]
MEANS_TESTED = {"dibao", "tekun", "disabled_living"}
payroll = set(s.registries.payroll["id_number"])
public = roster[roster["id_number"].isin(payroll)]                 # ← 只看救助类项目  #[zh]
public = roster[roster["id_number"].isin(payroll)]                 # ← means-tested programs only  #[en]

# %% tags=["solution"]
MEANS_TESTED = {"dibao", "tekun", "disabled_living"}
payroll = set(s.registries.payroll["id_number"])
contracted = set(s.registries.land_contracts["id_number"])
public = roster[roster["id_number"].isin(payroll) & (
    roster["program"].isin(MEANS_TESTED)
    | ((roster["program"] == "farmland_fertility") & ~roster["id_number"].isin(contracted)))]

# %%
decisions = pd.DataFrame({"entry_id": public["entry_id"], "decision": "reject", "reason": "public_employee"})
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, f"提交 {len(decisions)} 条“不通过（公职人员）”的决定", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"submit {len(decisions)} rejections (public employee)", stage="review"):  #[en]
    ex2 = s.review.submit(decisions)
    print(verdict_text(ex2, decisions["entry_id"], LANG))

# %% tags=["check"]
assert "✗" not in verdict_text(ex2, decisions["entry_id"], LANG) and len(decisions) >= 1

# %% [markdown] lang="zh"
# ### 练习 3：优亲厚友，村干部照顾亲属
#
# 是村干部的近亲属，本身不是问题，而是要重点审核的理由。真正不符合条件的是：
# - 近亲属申领救助类补贴（低保、特困、残疾人生活补贴），而名下有车（小轿车、客车；三轮汽车、
#   低速货车这类农用车不算）或者有工商登记；
# - 近亲属申领耕地地力保护补贴，土地承包登记里却没有他的承包地。
#
# 起始代码把村干部近亲属的每一项申领都拒了。改成只拒上面两种。

# %% [markdown] lang="en"
# ### Exercise 3 — 优亲厚友: cadres favouring relatives
#
# Being a cadre's close relative (村干部近亲属) is not a fault: it is a reason to look closely.
# What is not entitled:
# - a relative's means-tested claim (低保, 特困, disabled living) when the relative owns a car
#   (a saloon or a passenger vehicle; a three-wheeler or low-speed truck is a farm vehicle) or a
#   registered business;
# - a relative's farmland subsidy with no contracted land in the land contracts.
#
# The starter rejects every claim by every cadre's relative. Reject only those two kinds.

# %% tags=["starter"]
relatives = set(s.registries.cadre_relatives["id_number"])
favoured = roster[roster["id_number"].isin(relatives)]             # ← 只拒上面两种  #[zh]
favoured = roster[roster["id_number"].isin(relatives)]             # ← only the two kinds above  #[en]

# %% tags=["solution"]
relatives = set(s.registries.cadre_relatives["id_number"])
vehicles = s.registries.vehicles
cars = vehicles[~vehicles["vehicle_type"].str.contains("三轮|低速|拖拉机|农用")]
owns = set(cars["id_number"]) | set(s.registries.businesses["id_number"])
contracted = set(s.registries.land_contracts["id_number"])
is_relative = roster["id_number"].isin(relatives)
favoured = roster[is_relative & (
    (roster["program"].isin(MEANS_TESTED) & roster["id_number"].isin(owns) & ~roster["id_number"].isin(payroll))
    | ((roster["program"] == "farmland_fertility") & ~roster["id_number"].isin(contracted)))]

# %%
decisions = pd.DataFrame({"entry_id": favoured["entry_id"], "decision": "reject", "reason": "cadre_relative"})
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, f"提交 {len(decisions)} 条“不通过（优亲厚友）”的决定", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"submit {len(decisions)} rejections (cadre relative)", stage="review"):  #[en]
    ex3 = s.review.submit(decisions)
    print(verdict_text(ex3, decisions["entry_id"], LANG))

# %% tags=["check"]
assert "✗" not in verdict_text(ex3, decisions["entry_id"], LANG) and len(decisions) >= 3

# %% [markdown] lang="zh"
# ### 练习 4：重复发放
#
# 同一个身份证号、同一个项目、同一个发放期只能发一次。查重要按**身份证号**，不能按姓名：两个叫
# 王芳的是两个人（同名不同人）。起始代码按姓名查重：改掉它。

# %% [markdown] lang="en"
# ### Exercise 4 — 重复发放: duplicates
#
# Each ID may be paid once per program and period. De-duplicate on the **ID number**, never on
# the name: two people called 王芳 are two people (同名不同人). The starter de-duplicates on the
# name: change that.

# %% tags=["starter"]
repeated = roster[roster.duplicated(["name", "program"], keep="first")]        # ← 按什么查重？  #[zh]
repeated = roster[roster.duplicated(["name", "program"], keep="first")]        # ← on which column?  #[en]

# %% tags=["solution"]
repeated = roster[roster.duplicated(["id_number", "program"], keep="first")]

# %%
decisions = pd.DataFrame({"entry_id": repeated["entry_id"], "decision": "reject", "reason": "duplicate"})
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, f"提交 {len(decisions)} 条“不通过（重复发放）”的决定", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"submit {len(decisions)} rejections (duplicate)", stage="review"):  #[en]
    ex4 = s.review.submit(decisions)
    print(verdict_text(ex4, decisions["entry_id"], LANG))
print("同名但身份证号不同的（不是重复）：", roster.groupby("name")["id_number"].nunique().gt(1).sum(), "个姓名")  #[zh]
print("same name, different IDs (not duplicates):", roster.groupby("name")["id_number"].nunique().gt(1).sum())  #[en]

# %% tags=["check"]
assert "✗" not in verdict_text(ex4, decisions["entry_id"], LANG) and len(decisions) >= 1

# %% [markdown] lang="zh"
# ### 练习 5：资格不符
#
# 城乡居民基础养老金要年满 60 周岁；高龄津贴要年满 80 周岁；重度残疾人护理补贴要残疾人证上是
# 一级或二级。年龄按户籍登记的出生日期、算到发放期开始那天。
#
# 起始代码把所有项目里不满 60 岁的人都拒了（种地的年轻人也被拒了）。改成：养老金看 60 岁，高龄津贴
# 看 80 岁，再补上重度残疾护理补贴的等级检查。

# %% [markdown] lang="en"
# ### Exercise 5 — 资格不符: not eligible
#
# The basic pension needs age ≥ 60; the old-age allowance needs age ≥ 80; the severe-disability
# care subsidy needs grade 1 or 2 on the disability certificate (残疾人证). Ages come from the
# residents register, at the period start.
#
# The starter rejects everyone under 60 in every program (young farmers too). Make it: the
# pension at 60, the old-age allowance at 80, and add the disability grade check.

# %%
born = pd.to_datetime(s.registries.residents.drop_duplicates("id_number").set_index("id_number")["birth_date"])


def age_of(id_number):
    # 发放期开始那天的周岁；户籍里没有这个身份证号时返回 None  #[zh]
    # whole years at the period start; None when the ID is not in the residents register  #[en]
    if id_number not in born.index:
        return None
    b = born[id_number]
    return period_start.year - b.year - ((period_start.month, period_start.day) < (b.month, b.day))


age = roster["id_number"].map(age_of)
grades = s.registries.disability.set_index("id_number")["grade"]

# %% tags=["starter"]
ineligible = roster[age < 60]                                      # ← 分项目看年龄，再查残疾等级  #[zh]
ineligible = roster[age < 60]                                      # ← age by program, then the grade  #[en]

# %% tags=["solution"]
too_young = roster[((roster["program"] == "basic_pension") & (age < 60))
                   | ((roster["program"] == "old_age_allowance") & (age < 80))]
no_grade = roster[(roster["program"] == "severe_disability_care") & ~roster["id_number"].map(grades).isin([1, 2])]
ineligible = pd.concat([too_young, no_grade])

# %%
decisions = pd.DataFrame({"entry_id": ineligible["entry_id"], "decision": "reject", "reason": "ineligible"})
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, f"提交 {len(decisions)} 条“不通过（资格不符）”的决定", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"submit {len(decisions)} rejections (not eligible)", stage="review"):  #[en]
    ex5 = s.review.submit(decisions)
    print(verdict_text(ex5, decisions["entry_id"], LANG))

# %% tags=["check"]
assert "✗" not in verdict_text(ex5, decisions["entry_id"], LANG) and len(decisions) >= 3

# %% [markdown] lang="zh"
# ### 练习 6：符合条件，但有字段错了：更正
#
# 这些人**是**符合条件的，拒绝他们就是伤害。把字段改对，钱就能发出去：
# - 姓名和户籍登记不一致（户名不符，银行退回代码 BE01）；但如果名册上的是户籍登记的曾用名，
#   那是同一个人，卡照样能入账，不用改；
# - 卡号不是本人的卡（卡号错误，或者代领、截留：好几个人共用一个村干部的账户）；
# - 身份证校验码不对：到户籍里按姓名找出正确的号码；
# - 金额超过标准（超标准），或者耕地面积超过承包面积（虚报面积）。
#
# 起始代码大部分是对的，但有两处错：
# 1. 身份证号出错时，它用 `suggest_id_fix` **猜**一个校验码。错的可能是前 17 位里的某一位：猜出来的
#    是另一个人的号码。应该到户籍里按姓名找（只有一个同名的人时才用）。
# 2. 它拿承包面积去核所有按亩发的项目。只有耕地地力保护补贴（`farmland_fertility`）按承包面积发；
#    种粮农民补贴（`grain_growers`）按实际种植面积发：承包面积加上流转进来的土地
#    （土地流转备案 `s.registries.land_transfers`，`id_number` 是转入方）；
#    生态公益林补偿（`ecological_forest`）按林权登记（`s.registries.forest_rights`）的面积发。

# %% [markdown] lang="en"
# ### Exercise 6 — entitled, but a field is wrong: correct it (更正)
#
# These people **are** entitled; rejecting them would be a harm. Correct the field and the
# payment goes through:
# - a name that differs from the residents register (户名不符, BE01 at the bank) — unless it is
#   the former name (曾用名) the register records: the same person, and the card still pays;
# - a card number that is not the person's own card (卡号错误, or 代领/截留 — a cadre's account
#   shared by several payees);
# - an ID with a wrong check character: look the name up in the residents register;
# - an amount above the standard (超标准) or a farmland area above the contract (虚报面积).
#
# The starter is mostly right, with two mistakes:
# 1. for a bad ID it **guesses** the check character with `suggest_id_fix`. The typo may be in
#    the other 17 digits: the guess is somebody else's number. Look the name up in the residents
#    register instead (only when exactly one person has that name).
# 2. it checks every per-mu program against the contracted area. Only `farmland_fertility` is
#    paid on the contract; `grain_growers` is paid on the area actually farmed — the contract
#    plus land rented in (`s.registries.land_transfers`, where `id_number` is the one renting
#    in); `ecological_forest` on the forest rights register
#    (`s.registries.forest_rights`).

# %%
decided = set(s.review.decisions()["entry_id"])
open_entries = roster[~roster["entry_id"].isin(decided)]
cards = s.registries.card_status
holder_of = cards.set_index("account_number")["id_number"]
usable = cards[~cards["status"].isin(["reported_lost", "closed"])].sort_values("kind", ascending=False)
own_card = usable.drop_duplicates("id_number").set_index("id_number")["account_number"]
ids_by_name = s.registries.residents.groupby("name")["id_number"].apply(list)
programs = s.programs().set_index("program")
land = s.registries.land_contracts.groupby("id_number")["area_mu"].sum()
former = s.registries.residents.drop_duplicates("id_number").set_index("id_number")["former_name"]


def standard_amount(program, id_number):
    # 清单上的标准：固定金额，或者按年龄分档（"80:50;90:100;…"）  #[zh]
    # the catalogue standard: a fixed amount, or the tier reached by age ("80:50;90:100;…")  #[en]
    fixed, tiers = programs.at[program, "amount"], programs.at[program, "tiers"]
    if pd.notna(fixed):
        return float(fixed)
    if pd.notna(tiers) and age_of(id_number) is not None:
        reached = [float(v) for a, v in (t.split(":") for t in tiers.split(";")) if age_of(id_number) >= float(a)]
        return reached[-1] if reached else None
    return None

# %% tags=["starter"]
def allowed_area(program, id_number):
    return land.get(id_number)                                     # ← 每个项目该看哪份登记？  #[zh]
    return land.get(id_number)                                     # ← which register for each program?  #[en]


def right_id_number(entry):
    return suggest_id_fix(entry.id_number)                         # ← 不要猜：到户籍里按姓名找  #[zh]
    return suggest_id_fix(entry.id_number)                         # ← do not guess: look the name up  #[en]

# %% tags=["solution"]
transfers = s.registries.land_transfers
rented_in = transfers.groupby("id_number")["area_mu"].sum()
forest = s.registries.forest_rights.groupby("id_number")["area_mu"].sum()


def allowed_area(program, id_number):
    # 参考答案：耕地补贴看承包，种粮补贴看承包加转入，公益林看林权  #[zh]
    # One way to do it: contract for farmland, contract plus land rented in for grain, forest rights for forest  #[en]
    if program == "farmland_fertility":
        return land.get(id_number)
    if program == "grain_growers" and (id_number in land.index or id_number in rented_in.index):
        return land.get(id_number, 0.0) + rented_in.get(id_number, 0.0)
    if program == "ecological_forest":
        return forest.get(id_number)
    return None


def right_id_number(entry):
    # 户籍里只有一个同名的人时，用他的号码；否则返回 None（留给入户核查）  #[zh]
    # the one person of that name in 户籍, else None (for a home visit)  #[en]
    same_name = ids_by_name.get(entry.name, [])
    return same_name[0] if len(same_name) == 1 else None

# %%
corrections = []
for e in open_entries.itertuples():
    if not check_id_number(e.id_number).valid:
        fixed = right_id_number(e)
        if fixed:
            corrections.append((e.entry_id, "id_number", fixed))
        continue
    if e.id_number in residents.index and e.name not in {residents[e.id_number], former.get(e.id_number)}:
        corrections.append((e.entry_id, "name", residents[e.id_number]))
    if holder_of.get(e.account_number) != e.id_number and e.id_number in own_card.index:
        corrections.append((e.entry_id, "account_number", own_card[e.id_number]))
    standard = standard_amount(e.program, e.id_number)
    if standard is not None and abs(float(e.amount) - standard) > 0.005:
        corrections.append((e.entry_id, "amount", f"{standard:.2f}"))
    area = allowed_area(e.program, e.id_number) if programs.at[e.program, "formula"] == "per_mu" else None
    if area is not None and float(e.quantity) > area + 0.05:
        corrections.append((e.entry_id, "quantity", f"{area:.1f}"))

decisions = pd.DataFrame(corrections, columns=["entry_id", "field", "value"]).assign(decision="correct")
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, f"提交 {len(decisions)} 条“更正”的决定", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"submit {len(decisions)} corrections", stage="review"):  #[en]
    ex6 = s.review.submit(decisions)
    print(verdict_text(ex6, decisions["entry_id"], LANG))

# %% tags=["check"]
assert "✗" not in verdict_text(ex6, decisions["entry_id"], LANG) and len(decisions) >= 8

# %% [markdown] lang="zh"
# ### 登记定不下来的：转入户核查
#
# 身份证校验码不对、户籍里又找不到唯一同名的人，或者你拿不准的申报：派人上门核查。核查报告几个
# 模拟日后返回；读报告，再做决定。

# %% [markdown] lang="en"
# ### When the registries cannot settle it: refer (入户核查)
#
# An ID with a bad check character and no unique name in the residents register, a claim you
# doubt: send a team. The report comes back after a few simulated days; read it and decide.

# %%
SUBMIT = False  #[switch]
decided = set(s.review.decisions()["entry_id"])
unsure = roster[~roster["entry_id"].isin(decided) & ~roster["id_number"].map(lambda i: check_id_number(i).valid)]
if by_code(s, SUBMIT, f"把 {len(unsure)} 条转入户核查，并等核查报告返回", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"refer {len(unsure)} entries for a home visit and wait for the reports", stage="review"):  #[en]
    if len(unsure):
        s.review.submit(pd.DataFrame({"entry_id": unsure["entry_id"], "decision": "refer"}))
    s.review.wait_for_visits()
visits = s.review.visits()
visits[["entry_id", "returns_at", "finding_zh"]]  #[zh]
visits[["entry_id", "returns_at", "finding_zh", "finding_en"]]  #[en]

# %%
# 逐份读报告再决定。核实“属实”的通过；报告写明了正确值的，就更正。  #[zh]
# Read each report and decide. A genuine claim (属实) is approved; a report naming the right  #[en]
# value is a correction.  #[en]
SUBMIT = False  #[switch]
final = []
for v in visits.itertuples():
    if not v.finding_en:
        continue  # 报告还没有返回  #[zh]
        continue  # the report is not back yet  #[en]
    if "genuine" in v.finding_en:
        final.append({"entry_id": v.entry_id, "decision": "approve"})
    elif "The right " in v.finding_en:
        field, _, value = v.finding_en.split("The right ", 1)[1].partition(" is ")
        final.append({"entry_id": v.entry_id, "decision": "correct", "field": field, "value": value.rstrip(".")})
final = pd.DataFrame(final, columns=["entry_id", "decision", "field", "value"])
if by_code(s, SUBMIT, f"按核查报告提交 {len(final)} 条决定", stage="review") and len(final):  #[zh]
if by_code(s, SUBMIT, f"submit {len(final)} decisions from the visit reports", stage="review") and len(final):  #[en]
    print(verdict_text(s.review.submit(final), final["entry_id"], LANG))

# %% [markdown] lang="zh"
# ### 练习 8：补录应享未享的人
#
# 审核不只是拦住不该发的，还要找出**该发却不在名单上**的人（应享未享），用 `s.review.add(表)` 补录
# （列：`id_number`、`program`；补录的条目直接算通过，也要经过公示）。这里查两种：
# - 户籍里年满 80 周岁、又不在高龄津贴名单上的老人；
# - 土地承包登记里有承包地、又不在耕地地力保护补贴名单上的户。
#
# 两种都要排除发放期开始前已经去世的（练习 1 的 `died`），以及其实已经在名单上、只是身份证号录错了的人
# （同名、同项目、身份证号校验不通过的那一行）。起始代码把 60 岁以上的都补录了高龄津贴：改成高龄津贴的
# 年龄条件。

# %% [markdown] lang="en"
# ### Exercise 8 — add the entitled people left off (补录)
#
# Review does not only stop what should not be paid: it also finds people who are **entitled but
# not on the roster** (应享未享) and adds them with `s.review.add(table)` (columns `id_number`,
# `program`; added entries count as approved, and need the 公示 too). Two kinds here:
# - residents aged 80 or more who are not on the old-age allowance list;
# - households with contracted land (土地承包) that are not on the farmland subsidy list.
#
# Leave out both those who died before the period (`died`, from exercise 1) and those who are on
# the roster already under a mistyped ID (the same name and program on a line whose ID fails its
# check). The starter adds everyone aged 60 or more: use the old-age allowance's age instead.

# %% tags=["starter"]
OLD_AGE = 60                                                       # ← 高龄津贴从几岁起？  #[zh]
OLD_AGE = 60                                                       # ← the old-age allowance starts at which age?  #[en]

# %% tags=["solution"]
OLD_AGE = 80

# %%
SUBMIT = False  #[switch]
listed = set(zip(roster["id_number"], roster["program"]))
typo = roster[~roster["id_number"].map(lambda v: check_id_number(v).valid)]
typo_named = set(zip(typo["name"], typo["program"]))
name_of = s.registries.residents.drop_duplicates("id_number").set_index("id_number")["name"]


def left_off(id_number, program):
    dead = died.get(id_number, period_start) < period_start
    return (id_number, program) not in listed and (name_of.get(id_number), program) not in typo_named and not dead


wanted = [(i, "old_age_allowance") for i in name_of.index if (age_of(i) or 0) >= OLD_AGE]
wanted += [(i, "farmland_fertility") for i in s.registries.land_contracts["id_number"].unique()]
missing = pd.DataFrame([{"id_number": i, "program": p} for i, p in wanted if left_off(i, p)],
                       columns=["id_number", "program"])
if by_code(s, SUBMIT, f"补录 {len(missing)} 位应享未享的人", stage="review") and len(missing):  #[zh]
if by_code(s, SUBMIT, f"add {len(missing)} entitled people left off", stage="review") and len(missing):  #[en]
    ex8 = s.review.add(missing)
    print(ex8)
missing

# %% tags=["check"]
assert len(missing) >= 3 and not [m for m in ex8.misses if m["entry_id"].startswith("B")], ex8.misses

# %% [markdown] lang="zh"
# ### 其余的：通过
#
# 没有发现问题的申报，一律通过。（在操作台上：每条点**通过**。）

# %% [markdown] lang="en"
# ### Everything else: approve
#
# Entries you found nothing against are approved. (On the desk: click **通过** for each.)

# %%
SUBMIT = False  #[switch]
decided = set(s.review.decisions()["entry_id"])
rest = roster[~roster["entry_id"].isin(decided)]
if by_code(s, SUBMIT, f"把其余 {len(rest)} 条一律通过", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"approve the other {len(rest)} entries", stage="review"):  #[en]
    feedback = s.review.submit(pd.DataFrame({"entry_id": rest["entry_id"], "decision": "approve"}))
    print(f"通过 {len(rest)} 条；审核阶段得分：{feedback.score}")  #[zh]
    print(f"approved {len(rest)}; interim review score: {feedback.score}")  #[en]

# %% [markdown] lang="zh"
# ## 公示和异议
#
# 审核通过的名单在村里挂 7 天。乡亲们会提异议：有的说得对（一个去世的人还在名单上），有的不对
# （眼红邻居的补贴）。对每一条异议：**属实**（uphold，拒绝这条申报）、**不属实**（dismiss，保留）或
# **核查**（refer）。答复之前先查证据：异议是线索，不是证据。措辞也证明不了什么：不实的异议可以把
# 死亡、车辆说得有鼻子有眼，真实的异议也可能说得含含糊糊。只有登记信息或入户核查能分辨。
#
# 不写代码：下面的公示操作台有同样的按钮。它的**结束审核（不可撤销）**按钮，要先勾选旁边的确认框
# 才会生效。

# %% [markdown] lang="en"
# ## Posting (公示) and objections
#
# The approved list hangs in the village for seven days. Villagers object — sometimes rightly
# (a dead man still on the list), sometimes not (envy of a neighbour's subsidy). For each
# objection: **uphold 属实** (reject the entry), **dismiss 不属实** (keep it) or **refer 核查**.
# Check the evidence before you answer: an objection is a lead, not a proof. How a villager
# words it proves nothing either: a false objection can name a death or a car as precisely as
# a true one, and a true one can be vague. Only the registries, or a home visit, tell them apart.
#
# Without code: the posting desk below has the same buttons. Its **结束审核（不可撤销） close
# review (final)** button acts only once you tick the confirm box beside it.

# %%
posting = PostingDesk(s)
posting

# %%
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, "把通过的名单公示 7 天（模拟时钟向前走 7 天）", stage="review"):  #[zh]
if by_code(s, SUBMIT, "post the approved list for seven days (the clock moves on 7 days)", stage="review"):  #[en]
    try:
        s.review.post_notice()
    except SandboxError as refused:  # 例如已经在上面的操作台上公示过了  #[zh]
    except SandboxError as refused:  # e.g. posted from the desk above already  #[en]
        print(refused)
objections = s.review.objections()
objections[["objection_id", "entry_id", "text_zh", "response"]]  #[zh]
objections[["objection_id", "entry_id", "text_en", "response"]]  #[en]

# %% [markdown] lang="zh"
# ### 练习 7：答复异议
#
# 对每条异议，先查被异议的那条申报你是怎么决定的。审核时你已经查过全部登记：通过或更正了的，
# 异议答复“不属实”（dismiss）；你已经拒绝了的，异议“属实”（uphold，维持拒绝）。起始代码把所有异议
# 一律答复“不属实”：改成按你之前的决定来答复。

# %% [markdown] lang="en"
# ### Exercise 7 — answer the objections
#
# For each objection, look up how you decided the entry. Your review already checked every
# registry: an entry you approved or corrected gets "dismiss" (不属实); one you rejected gets
# "uphold" (属实, the rejection stands). The starter dismisses everything: answer from your
# earlier decision instead.

# %% tags=["starter"]
def answer(objection, current):
    return "dismiss"                    # ← 根据 current（你之前的决定）来答复  #[zh]
    return "dismiss"                    # ← decide from `current` (your earlier decision)  #[en]

# %% tags=["solution"]
def answer(objection, current):
    # 参考答案：通过或更正了的，异议不属实；拒绝了的，异议属实  #[zh]
    # One way to do it: approved or corrected -> dismiss; rejected -> uphold  #[en]
    return "dismiss" if current.get("decision") in {"approve", "correct"} else "uphold"

# %%
SUBMIT = False  #[switch]
waiting = [o for o in s.review.objections().itertuples() if not o.response]
if by_code(s, SUBMIT, f"用 answer 答复 {len(waiting)} 条还没有答复的异议", stage="review"):  #[zh]
if by_code(s, SUBMIT, f"answer the {len(waiting)} objections still open with `answer`", stage="review"):  #[en]
    for o in waiting:
        current = s.review.lookup(o.entry_id)["decision"] or {}
        s.review.respond(o.objection_id, answer(o, current))
s.review.objections()[["objection_id", "entry_id", "response"]]

# %% [markdown] lang="zh"
# ## 结束审核（不可撤销）
#
# **结束审核后名单将送去发放，不能再改。** 所以平台会先问一句：不写 `confirm=True`，什么也不会发生，
# 平台只告诉你哪些东西将会定下来；如果有通过的申报没有经过完整的 7 天公示（公示贴出去之后才通过、
# 补录或更正的），现在结束审核就属于“未经公示”违规：先用 `s.review.post_notice()` 再公示一次。

# %% [markdown] lang="en"
# ## Close review (结束审核 — final)
#
# **结束审核后名单将送去发放，不能再改。** Closing review sends the approved list (with your
# corrections) to payout, and it cannot be changed again. So the platform asks first: without
# `confirm=True` nothing happens, and it says what would become final — and, if an approved
# entry has not been on a full seven-day 公示 (approved, added or corrected after the notice went
# up), that closing now is a violation (未经公示): post again with `s.review.post_notice()`.

# %%
if "review" not in s.brief()["stages_done"]:
    try:
        s.review.close()               # 没有确认：什么也不发生，只显示提醒  #[zh]
        s.review.close()               # not confirmed: nothing happens, only the warning  #[en]
    except SandboxError as warning:
        print(warning)

# %% [markdown] lang="zh"
# 核对过了？那就确认：把下面的 `SUBMIT` 改成 `True` 再运行（在上面的公示操作台上结束过审核的，就不用
# 了）。反馈会列出你做错的每一条，附上你本可以用上的证据和一条提示。（确认后不可撤销。）

# %% [markdown] lang="en"
# Checked? Then confirm: set `SUBMIT = True` below and run it (not needed if you closed review on
# the posting desk above). The feedback lists every entry you got wrong, with the evidence you
# could have used and a tip. (确认后不可撤销 — this cannot be undone.)

# %%
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, "结束审核（不可撤销）", stage="review"):  #[zh]
if by_code(s, SUBMIT, "close review (final)", stage="review"):  #[en]
    feedback = s.review.close(confirm=True)
    display(feedback)

# %% tags=["check"]
# 参考答案的审核得分  #[zh]
# The reference solution's review score  #[en]
print(feedback.score)
assert feedback.score >= 99, feedback.score   # 100 on the tutorial county

# %% [markdown] lang="zh"
# ## 会出什么错，为什么要紧
#
# - **通过了死亡人员（冒领）或公职人员的低保**，钱就再也回不来：没人投诉，一年后审计才发现
#   （监督检查，见第 05 课）。
# - **拒绝了符合条件的人**：把同名的邻居当成重复，把录入错误当成造假，一户人家就拿不到补贴。
#   错了的就更正；只有证据证明的才拒绝。
# - **姓名或卡号录错却原样通过**，银行会退回（退票，见第 04 课）。
# - **不查证据就答复异议**，要么把造假留在名单上，要么让老实人家为邻居的眼红买单。
#
# 下一课：**03_payout**（发放）。

# %% [markdown] lang="en"
# ## What went wrong, and why it matters
#
# - **Approving the dead (冒领) or a public employee's 低保** loses the money for good: nobody
#   complains, and the audit finds it a year later (监督检查, notebook 05).
# - **Rejecting an entitled person** — a same-name neighbour taken for a duplicate, a typo treated
#   as fraud — leaves a family without its subsidy. Correct (更正) what is wrong; reject only
#   what the evidence proves.
# - **A name or card typo approved as typed** comes back from the bank as 退票 (notebook 04).
# - **An objection answered without looking** either keeps fraud on the list or punishes an honest
#   family for a neighbour's envy.
#
# Next: **03_payout**.
