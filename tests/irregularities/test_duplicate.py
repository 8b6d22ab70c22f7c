"""duplicate (重复发放): a clean entry entered twice; the careful reviewer stops one of the pair."""

from __future__ import annotations

import pandas as pd
from support import careful_review, faulty, planted, planted_only_when_its_rate_is_above_zero

CODE = "duplicate"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_copy_names_its_original_with_the_same_id_and_program() -> None:
    attempt = planted(CODE, 0.05)
    truth = attempt.data.truth.set_index("entry_id")
    rows = faulty(attempt, CODE)
    assert len(rows) > 0
    for row in rows.to_dict("records"):
        original = truth.loc[row["duplicate_of"]]
        assert row["duplicate_of"] != row["entry_id"]
        assert (original["id_number"], original["program"]) == (row["entry_id_number"], row["entry_program"])
        assert row["duplicate_of"] in row["evidence_en"]


def test_the_careful_rule_rejects_one_of_each_pair() -> None:
    for seed in (None, 20220602):
        review = careful_review(seed)
        decided = review.set_index("entry_id")
        copies = review[review["fault"] == CODE]
        assert len(copies) > 0
        for row in copies.to_dict("records"):
            pair = decided.loc[[row["entry_id"], row["duplicate_of"]]]
            stopped = pair[(pair["decision"] == "reject") & (pair["reason"] == CODE)]
            assert len(stopped) == 1, pd.DataFrame(pair)
