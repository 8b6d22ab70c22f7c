# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 07 · 全市督导：不讲成绩，只看问题
#
# **学习目标**
# - 读懂全市十个县区、五个月（2022年1—5月）的“一卡通”发放指标：激活率、发放成功率、退票原因、
#   到账天数、死亡后发放和追回、公示和投诉；
# - 像市“一卡通”管理办公室的督导组那样，**不讲成绩，只看问题**：找出有问题的县区，说清问题、证据
#   和责任主体；
# - 每个问题都要**定时间、定人员、定责任、定任务**，“板子打到具体人身上”；不冤枉没有问题的县区。
#
# 《周口日报》2022年6月报道：前5个月全市通过“一卡通”发放补贴12.38亿元，惠及577.88万人次；
# 社保卡占比98.5%，发放成功率97.38%；市“一卡通”办多次派出督导组，“督导组每到一处不讲成绩，
# 只看问题和困难”。本课的数字来自沙盘按普查规模模拟的同一个城市（这里用 2% 的规模，几秒钟跑完；
# 全市规模见 `sandbox calibrate zhoukou-2022 --scale city`）。

# %% [markdown] lang="en"
# # 07 · The city's supervision (督导): look only at problems
#
# **Learning goals**
# - read the 一卡通 KPIs of the city's ten counties over five months (January–May 2022): cards
#   activated, success rate, returns by reason, days to pay, money paid after death and recovered,
#   公示 and complaints;
# - like the supervision team (督导组) of the city's 一卡通 office, **look only at problems, not
#   achievements**: find the problem counties, and name the problem, its evidence and who is
#   responsible;
# - for each problem set a deadline, a person, a responsibility and a task (定时间、定人员、定责任、
#   定任务) — and do not blame a county that has no problem.
#
# The Zhoukou Daily reported in June 2022: ¥1.238 billion paid through 一卡通 in the first five
# months, 5.7788 million payments, 98.5 % to social security cards, a 97.38 % success rate; the
# city's office sent supervision teams that "look only at problems and difficulties". The numbers
# here come from the sandbox's census-scale model of that city (at 2 % of its size here, a few
# seconds; the whole city: `sandbox calibrate zhoukou-2022 --scale city`).

# %% setup="city" scenario="zhoukou-2022"
# 由 scripts/build_notebooks.py 生成：导入和市“一卡通”办（setup_cells）

# %% [markdown] lang="zh"
# ## 一、各县区五个月的指标
#
# 每一行是一个县区一个月。`city.kpis()` 是全部指标（英文列名，写代码用），`city.table()` 是中文表头。
# 下面的小多图每个县区一格、横轴是月份、纵轴刻度各格相同，一眼就能看出哪个县区和别的不一样。

# %% [markdown] lang="en"
# ## 1. Five months of KPIs, county by county
#
# Each row is one county in one month. `city.kpis()` holds every KPI (English column codes, for
# code); `city.table()` shows them with headers in your language. In the small multiples below each
# county has its own panel, months across, the same scale in every panel: the county unlike the
# others stands out.

# %%
city.table(["county_name", "month", "payees", "credited", "success_rate", "activation_rate", "returns_AG01",
            "returns_BE01", "returns_MD07", "days_to_pay", "recovered", "recovery_rate", "posting_rate",
            "complaints", "additions", "stops"])

# %%
display(HTML(chart_html(city.kpis(), "activation_rate", LANG)))

# %% [markdown] lang="zh"
# ## 二、谁负责什么
#
# | 责任主体 | 管什么 |
# |---|---|
# | 代发银行 | 社保卡金融账户的激活、冻结、挂失、久悬 |
# | 县财政局 | 资金按时拨付到代发银行，批次开放后按时到账 |
# | 乡镇信息采集员 | 采集和录入姓名、身份证号、卡号 |
# | 主管部门（民政、农业农村……） | 对象认定，死亡等变动后停发，追回不该发的钱 |
# | 村委会 | 每批发放前公示，受理群众意见 |
#
# 可能的问题：社保卡激活滞后、资金发放不及时、户名不符退票多、死亡冒领资金未追回、未按规定公示。
# 注意：“退票：已死亡”（MD07）是银行把不该发的钱挡了回来，本身不是问题。

# %% [markdown] lang="en"
# ## 2. Who is responsible for what
#
# | owner | responsible for |
# |---|---|
# | 代发银行 the paying bank | activating the social security card's account; frozen, lost, dormant accounts |
# | 县财政局 the county finance bureau | releasing the funds on time, so money reaches cards on time |
# | 乡镇信息采集员 township data-collection staff | collecting and typing names, ID and card numbers |
# | 主管部门 the program's department | who is entitled; stopping after a death; recovering what should not have been paid |
# | 村委会 the village committee | posting (公示) each batch before it is paid; hearing objections |
#
# The problems to look for: 社保卡激活滞后 (cards not activated), 资金发放不及时 (paid late),
# 户名不符退票多 (many name-mismatch returns), 死亡冒领资金未追回 (money paid after death not
# recovered), 未按规定公示 (batches not posted). Note: returns for a deceased holder (MD07) are the
# bank stopping money that should not go out; they are not a problem in themselves.

# %% [markdown] lang="zh"
# ## 三、用操作台督导
#
# 在“指标”里逐个选指标看小多图；发现问题后，选县区、问题、证据指标和责任主体，填整改时限（督导日
# 2022-06-10 之后 30 天内，格式 2022-07-08）、责任人和整改任务，点“添加发现”。全部添加后点
# “提交督导报告”。可以多次提交，每次都会打分：发现的问题越多、证据和责任越准、错误问责越少，分数越高。

# %% [markdown] lang="en"
# ## 3. Supervise at the desk
#
# Pick each KPI in turn and read the small multiples. For each problem you find, choose the county,
# the problem, the KPI that shows it and the owner; type a deadline (within 30 days after the visit
# on 2022-06-10, as 2022-07-08), the person responsible and the task; click "Add finding". When all
# are added, click "Submit the report". You may submit again: each submission is scored — more
# problems found, the right evidence and owner, no wrong blame: a higher score.

# %%
CitySupervisionDesk(city)

# %% [markdown] lang="zh"
# ## 四、用代码督导
#
# ### 练习：找出所有问题县区
#
# 起始代码只看了“发放成功率”：把五个月平均成功率最低的县区记成“社保卡激活滞后”。运行它，读反馈：
# 发现了几个？有没有冤枉人？然后改写 `find_problems`：每种问题看它自己的指标，找出明显偏离其他县区
# 的县区，并写上正确的责任主体、整改时限、责任人和任务。

# %% [markdown] lang="en"
# ### Exercise — find every problem county
#
# The starter looks at the success rate only: it records the county with the lowest average
# success rate as 社保卡激活滞后. Run it and read the feedback: how many were found, was anyone
# wrongly blamed? Then rewrite `find_problems`: look at each problem's own KPI, find the county far
# from the others, and give the right owner, deadline, person and task.

# %% tags=["starter"]
def find_problems(kpis):
    worst = kpis.groupby("county_name")["success_rate"].mean().idxmin()   # ← 只看了一个指标  #[zh]
    worst = kpis.groupby("county_name")["success_rate"].mean().idxmin()   # ← one KPI only  #[en]
    return pd.DataFrame([{"county": worst, "problem": "社保卡激活滞后", "evidence": "success_rate",
                          "owner": "代发银行", "deadline": "", "person": "", "task": ""}])

# %% tags=["solution"]
def find_problems(kpis):
    # 参考答案：每种问题看自己的指标（2—5月），与各县区的中位数比，偏离远超一般波动的就是问题县区  #[zh]
    # One way to do it: each problem's own KPI (months 2–5), against the counties' median; a county  #[en]
    # far beyond the usual spread has the problem  #[en]
    later = kpis[kpis["month"] >= 2]
    by = later.groupby("county_name")
    measures = {
        "社保卡激活滞后": (by["activation_rate"].mean(), -1, "activation_rate", "代发银行", "组织网点上门激活，每月报进度"),
        "资金发放不及时": (by["days_to_pay"].mean(), 1, "days_to_pay", "县财政局", "批次开放后5个工作日内到账"),
        "户名不符退票多": (by["returns_BE01"].sum() / by["payees"].sum(), 1, "returns_BE01", "乡镇信息采集员",
                       "以身份证和银行户名为准重新核对"),
        "死亡冒领资金未追回": (by["recovered"].sum() / by["paid_after_death"].sum(), -1, "recovery_rate", "主管部门",
                          "逐笔追回，按月销号"),
        "未按规定公示": (by["posting_rate"].mean(), -1, "posting_rate", "村委会", "每批发放前公示7天"),
    }
    rows = []
    for problem, (values, direction, evidence, owner, task) in measures.items():
        spread = (values - values.median()).abs().median() or 1e-9
        far = direction * (values - values.median()) / spread
        for county in far[far > 10].index:
            rows.append({"county": county, "problem": problem, "evidence": evidence, "owner": owner,
                         "deadline": "2022-07-08", "person": f"{county}{owner}负责人", "task": task})
    return pd.DataFrame(rows)

# %%
findings = find_problems(city.kpis())
result = city.submit(findings)
result

# %% tags=["check"]
print(result.score)
assert result.score >= 99.9 and result.wrong_blame == 0, result   # 100.0: all five found, nobody wrongly blamed

# %% [markdown] lang="zh"
# ## 五、小结
#
# - 督导看的是**问题**：哪个县区、哪项指标、偏离多少，证据要落在具体数字上；
# - 问题要找到**责任主体**：激活找代发银行，到账慢找财政，户名错找采集，追回找主管部门，公示找村委会；
# - **定时间、定人员、定责任、定任务**，一月之内整改，下个月的指标会说明整改了没有；
# - 没有证据的不下结论：冤枉一个县区，和漏掉一个问题一样扣分。

# %% [markdown] lang="en"
# ## 5. Summary
#
# - Supervision looks at **problems**: which county, which KPI, how far off — evidence in figures;
# - every problem has an **owner**: activation the bank, slow money the finance bureau, wrong names
#   the collection staff, recovery the department, 公示 the village committee;
# - set a deadline, a person, a responsibility and a task; next month's KPIs will show whether it
#   was fixed;
# - no conclusion without evidence: blaming a county wrongly costs as much as missing a problem.
