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
# (生成) The build script writes this cell: see scripts/build_notebooks.py

# %% [markdown] lang="en"
# ## The draft publication
#
# `s.disclosure.draft()` is the period's payments **with full personal data** — phone, address,
# full ID and card numbers. Never publish it as it is. `s.disclosure.policy()` says what the
# scenario allows (how many ID characters to keep at each end, card digits, names).

# %%
import pandas as pd

draft = s.disclosure.draft()
policy = s.disclosure.policy()
print(policy)
draft.head()

# %% [markdown] lang="en"
# ### Exercise 1 — find the leaks before you publish
#
# `check_published(table, paid, policy)` lists every leak with its row and column. The starter
# masks only the ID numbers: run it and read what is still wrong.

# %%
from sandbox.course import check_published, mask_id_number, publish_table
from sandbox.scenario import Masking

rules = Masking(**policy)
mine = draft.copy()
mine["id_number"] = mine["id_number"].map(lambda v: mask_id_number(v, rules))   # ← not enough
leaks = check_published(mine, draft, rules)
print(len(leaks), "leaks, e.g.:")
for leak in leaks[:6]:
    print(" ", leak)

# %% [markdown] lang="en"
# `publish_table` keeps only the columns a public column may show (village, name, masked ID and
# card, bank, program, amount…), masks the numbers, drops phones, and cuts addresses at the
# village. Check its result the same way:

# %%
public = publish_table(draft, rules)
print("leaks:", len(check_published(public, draft, rules)))
public.head()

# %% [markdown] lang="en"
# **公开后名单挂在公开专栏，不能撤回。** A publication stays in the public column: it cannot be
# withdrawn, so `publish` needs `confirm=True` (without it nothing is published). Check the
# leaks first.

# %%
feedback = s.disclosure.publish(public, confirm=True)
feedback

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

def finding(line, fault):
    return {"line_id": line["line_id"], "fault": fault, "recover_amount": line["amount"],
            "rectification": "停发并追回资金，补充审核", "responsible": "乡镇审核岗",
            "due_date": dates["rectification_due_by"]}

findings = [finding(line, "dead_payee") for line in paid.to_dict("records")
            if line["payee_id_number"] in died_before]
# ← add: payroll, cadre relatives with a vehicle or business, duplicates
pd.DataFrame(findings)

# %%
# One way to do it
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
findings = pd.DataFrame(findings, columns=["line_id", "fault", "recover_amount", "rectification",
                                           "responsible", "due_date"])
findings

# %% [markdown] lang="en"
# The inspection report is final (**检查报告提交后即为定稿，不能再改**): submit it once, with
# `confirm=True`. Read the misses — ages (资格不符), land areas (虚报面积) and amounts (超标准) need
# the residents register, the land contracts and the program standards, exactly as in review.

# %%
feedback = s.supervision.submit(findings, confirm=True)
feedback

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
