# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 01 · 信息采集、录入
#
# **学习目标**
# - 读懂各村上报的名单（村级上报名单），看清录入是怎么出错的；
# - 校验身份证号和银行卡号（卡号校验用 Luhn 算法），并说出**哪一条**规则没通过；
# - 清理名单，但不去“修”你无从知道的东西，然后提交。
#
# **背景。** 村和乡镇的经办人员先在纸上采集每位补贴对象的信息：姓名、身份证号、卡号、补贴
# 所依据的数量，再录进 Excel。全角数字（１２３）、多余的空格、“亩”和“分”、“50.00元”、把 X
# 打成 ×：平台必须把这些都读成同一个意思。更麻烦的是录错的数字：卡号校验位不对，银行会退回
# （退票 AC01）；身份证校验码不对，就和任何登记信息都对不上。周口的工作人员“放弃节假日，不厌其烦地
# 重复采集、激活”，因为发放成败就在这一步。

# %% [markdown] lang="en"
# # 01 · Collection and entry (信息采集、录入)
#
# **Learning goals**
# - read the rosters villages send (村级上报名单) and see how typing goes wrong;
# - check an ID number (身份证号校验) and a card number (卡号校验, Luhn) and say *which* rule fails;
# - clean a roster without "fixing" what you cannot know, and submit it.
#
# **The context.** Village and township clerks collect each beneficiary on paper — name,
# resident ID, card number, the quantity the subsidy depends on — then type it into Excel.
# Full-width digits (１２３), stray spaces, 亩 and 分, "50.00元", an X typed as ×: the platform
# must read all of it the same way. Worse are the wrong digits: a card number that fails its
# check digit is returned by the bank (退票 AC01); an ID with the wrong check character cannot be
# matched against any registry. Zhoukou's staff "gave up holidays to repeat the collection and
# card activation again and again" (不厌其烦地重复操作) — because this is where payouts are won.

# %% setup="collection"
# 由 scripts/build_notebooks.py 生成：导入和会话（setup_cells）

# %% [markdown] lang="zh"
# ## 各村报上来的名单

# %% [markdown] lang="en"
# ## What the villages sent

# %%
forms = s.collection.forms()
print(f"共 {len(forms)} 行，来自 {forms['village'].nunique()} 个村")  #[zh]
print(len(forms), "rows from", forms["village"].nunique(), "village(s)")  #[en]
forms.head(10)

# %%
# 每个村的原始文件，表头是中文（序号、姓名、身份证号、卡号……）。  #[zh]
# Each village's file as typed, with its Chinese headers (序号, 姓名, 身份证号, 卡号…).  #[en]
files = s.collection.village_files()
village, frame = next(iter(files.items()))
print(village, list(frame.columns))

# %%
# 仔细看：空格、全角数字和单位藏在单元格里。  #[zh]
# Look closely: spaces, full-width digits and units hide in the cells.  #[en]
odd = forms[forms["id_number"].str.contains(r"[^0-9X]", regex=True)
            | forms["account_number"].str.contains(r"\D", regex=True)
            | ~forms["amount"].str.fullmatch(r"\d+\.\d\d")]
odd[["entry_id", "name", "id_number", "account_number", "quantity", "amount"]].head(10)

# %% [markdown] lang="zh"
# ## 每个操作员都该会的两项校验
#
# **居民身份证号（GB 11643）**：18 位，依次是 6 位地址码（本县是 4127xx，即原周口地区的代码，
# 2000 年以后的是 4116xx）、出生日期、3 位顺序码（奇数为男），最后一位是由前 17 位算出的
# 校验码（ISO 7064 MOD 11-2，可能是 X）。
#
# **银行卡号**：银联卡以 62 开头，16 到 19 位，最后一位是 Luhn 校验位。录错一个数字，
# 校验几乎一定通不过。

# %% [markdown] lang="en"
# ## Two checks every operator knows
#
# **Resident ID (GB 11643)** — 18 characters: a 6-digit address code (for this county 4127xx, the
# old 周口地区 codes, or 4116xx after 2000), the birth date, a 3-digit order code (odd = male), and
# a check character computed from the other 17 (ISO 7064 MOD 11-2; it may be X).
#
# **Bank card** — UnionPay numbers start with 62, have 16–19 digits, and end in a Luhn check digit.
# One mistyped digit almost always breaks the check.

# %%
print(check_id_number("412723194110051044"))
print(check_id_number("412723194110051045"))   # 改了一个字符  #[zh]
print(check_id_number("412723194110051045"))   # one character changed  #[en]
print(check_card_number("6296 5312 5494 8150 296"))
print(parse_mu("３亩５分"), parse_amount("1,234.50元"))

# %% [markdown] lang="zh"
# ### 练习 1：找出校验不通过的身份证号
#
# 列出身份证号校验不通过的每一行的 `entry_id`。下面的起始代码只看号码是不是 18 位：它会把
# 只是多了空格的号码当成错的，却漏掉位数对、校验码错的号码。运行一下，看反馈；再把 `←` 那一行
# 改对。提示：`check_id_number(号码).valid` 会先去掉空格、把全角转半角，再算校验码。

# %% [markdown] lang="en"
# ### Exercise 1 — find the IDs that fail
#
# Write the entry ids of every row whose ID number fails the check. The starter below only asks
# whether the number has 18 characters: it flags numbers that merely carry a space, and misses
# numbers of the right length with a wrong check character. Run it, read the feedback, then fix
# the line marked `←`. Hint: `check_id_number(value).valid` strips spaces and full-width digits
# first, then computes the check character.

# %% tags=["starter"]
my_bad_ids = [row.entry_id for row in forms.itertuples()
              if len(row.id_number) != 18]          # ← 改这一行  #[zh]
              if len(row.id_number) != 18]          # ← improve this line  #[en]

# %% tags=["solution"]
# 参考答案：用 check_id_number 校验，它会先把号码清理干净  #[zh]
# One way to do it: check_id_number cleans the value before it checks  #[en]
my_bad_ids = [row.entry_id for row in forms.itertuples()
              if not check_id_number(row.id_number).valid]

# %%
# 马上核对：和平台对同一批数据的自动校验结果比一比。  #[zh]
# Immediate feedback: compare with the platform's automatic checks on the same rows.  #[en]
clean, issues = clean_roster(forms)
really_bad = set(issues.loc[issues["field"] == "id_number", "entry_id"])
print(f"你标出 {len(my_bad_ids)} 个，校验标出 {len(really_bad)} 个")  #[zh]
print("✓ 对了" if set(my_bad_ids) == really_bad else  #[zh]
      f"✗ 只是格式不规范、号码本身没错的：{sorted(set(my_bad_ids) - really_bad)[:8]}；"  #[zh]
      f"漏掉的：{sorted(really_bad - set(my_bad_ids))}")  #[zh]
print(f"you flagged {len(my_bad_ids)}, the check flags {len(really_bad)}")  #[en]
print("✓ right" if set(my_bad_ids) == really_bad else  #[en]
      f"✗ flagged but only badly typed: {sorted(set(my_bad_ids) - really_bad)[:8]}; "  #[en]
      f"missed: {sorted(really_bad - set(my_bad_ids))}")  #[en]

# %% tags=["check"]
assert set(my_bad_ids) == really_bad and len(really_bad) > 0

# %% [markdown] lang="zh"
# ## 清理整份名单
#
# `clean_roster` 把每个单元格规范化（全角转半角、去空格、读懂“亩”“分”和“元”），并列出仍然
# 不合规的地方。它**从不猜**数字：校验码错的身份证号按原样保留，留到审核环节（02），那时户籍
# 登记会告诉你正确的号码。在这里瞎猜，钱就可能发给别人。

# %% [markdown] lang="en"
# ## Clean the whole roster
#
# `clean_roster` normalises every cell (full-width → half-width, spaces out, 亩/分 and 元 read)
# and lists what is still invalid. It **never guesses** a digit: an ID with a wrong check
# character stays as typed and goes to review (02), where the residents register (户籍) tells you
# the right number. Guessing here would pay the wrong person.

# %%
clean, issues = clean_roster(forms)
issues

# %%
# 清理前后，银行要用的几列逐行对比。  #[zh]
# What cleaning changed, row by row, for the columns the bank reads.  #[en]
changed = (forms["account_number"] != clean["account_number"]) | (forms["id_number"] != clean["id_number"])
before = forms.loc[changed, ["entry_id", "id_number", "account_number"]]
after = clean.loc[changed, ["id_number", "account_number"]].add_suffix(" (清理后)")  #[zh]
after = clean.loc[changed, ["id_number", "account_number"]].add_suffix(" (clean)")  #[en]
pd.concat([before, after], axis=1).head(10)

# %% [markdown] lang="zh"
# ## 不写代码：采集操作台
#
# 同样两步，用按钮完成：**校验**列出问题，**提交名单**把清理后的名单交上去。（点按钮和运行后面的
# 提交单元格，记录的是同一次提交，二选一即可。）

# %% [markdown] lang="en"
# ## Without code: the collection desk
#
# The same two steps with buttons: **校验 check rows** lists the problems, **提交名单 submit
# roster** sends the cleaned roster. (Clicking it, or running the next code cell, records the
# same submission.)

# %%
CollectionDesk(s)

# %% [markdown] lang="zh"
# ## 提交
#
# 在上面的操作台上提交过的，这一步就做完了。用代码提交：把下一个单元格里的 `SUBMIT` 改成 `True`，
# 再运行它，提交的是上面 `clean_roster` 清理好的名单。
#
# 练习模式下，反馈会马上列出每一个没有按录入内容清理干净的单元格。格式本身不扣分：分数来自这些
# 单元格以后造成的后果：带空格的卡号会被银行退回，全角数字的身份证号对不上任何登记
# （见 docs/scoring.md）。

# %% [markdown] lang="en"
# ## Submit
#
# If you submitted on the desk above, this step is done. To submit by code: set `SUBMIT = True`
# in the next cell and run it; it hands in the roster `clean_roster` cleaned above.
#
# In practice mode the feedback lists at once every cell that is not the clean form of what was
# typed. There is no mark for format: the score comes from what those cells do later — a card
# number left with spaces comes back from the bank, an ID in full-width digits matches no
# registry (docs/scoring.md).

# %%
SUBMIT = False  #[switch]
if by_code(s, SUBMIT, "提交清理好的名单（clean）", stage="collection"):  #[zh]
if by_code(s, SUBMIT, "hand in the cleaned roster (clean)", stage="collection"):  #[en]
    feedback = s.collection.submit(clean)
    print(feedback)

# %% tags=["check"]
assert "collection" in s.brief()["stages_done"]
assert feedback["metrics"].get("cells_not_clean") == 0, feedback["metrics"]

# %% [markdown] lang="zh"
# ### 对比：不清理直接提交会怎样？
#
# 另开一个会话，把原始名单不经清理直接提交。两者现在都是 100 分：还没有谁因此受影响。
# 数一数各自留下多少个没清理的单元格；差别会在审核和发放时显现出来。

# %% [markdown] lang="en"
# ### Compare — what happens if you submit as typed?
#
# Start a second session and submit the forms uncleaned. Both score 100 for now — nothing has
# happened to anybody yet. Count the cells each left unclean; the difference shows at review and
# payout.

# %%
other = Session.start("tutorial", trainee="me-uncleaned", lang=LANG, mode=MODE)
as_typed = other.collection.submit(other.collection.forms())
print("没清理的单元格：原样提交", as_typed["metrics"].get("cells_not_clean"), "个")  #[zh]
print("cells left unclean when submitted as typed:", as_typed["metrics"].get("cells_not_clean"))  #[en]

# %% [markdown] lang="zh"
# ## 会出什么错，为什么要紧
#
# - **空格和全角数字**看着无害，但平台按字符比对时就找不到任何登记记录，银行也会拒收这个卡号。
# - **身份证校验码或卡号校验位错了**，是真正的录入错误。清理不可能知道正确的数字；审核时要靠
#   登记信息（户籍、社保卡/账户状态）找出来。猜一个数字，钱就可能打到别人的卡上。
# - **丢掉或弄坏的每一行，都是一户领不到钱的人家。** 97.38% 的成功率从这里开始：剩下 2.62% 的每一笔
#   退票，都要耗掉经办人一天，耽误一户人家一周。
#
# 下一课：**02_review_and_posting**（审核、公示）。

# %% [markdown] lang="en"
# ## What went wrong, and why it matters
#
# - **Spaces and full-width digits** look harmless, but a platform that compares strings will
#   find no registry match and the bank will reject the card number.
# - **A wrong check character or Luhn digit** is a real typing error. Cleaning cannot know the
#   right digit; review finds it in the registries (户籍, 社保卡/账户状态). Guessing a digit could
#   send the money to someone else's card.
# - **Every row you lose or break is a family not paid.** 97.38% success starts here: each of the
#   2.62% returned lines costs a clerk a day and a family a week.
#
# Next: **02_review_and_posting**.
