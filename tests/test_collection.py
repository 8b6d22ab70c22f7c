"""Collection (信息采集、录入): rosters as typed, the answer key, cleaning and its score."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import RecordingBackend, attempt_of

from sandbox.common.columns import canonical_columns
from sandbox.common.normalize import clean_roster
from sandbox.errors import SubmissionError
from sandbox.irregularities import FAULTS, LOOK_ALIKES
from sandbox.personas import PERSONAS
from sandbox.platform.attempt import open_attempt
from sandbox.platform.rosters import ROSTER_HEADERS_ZH
from sandbox.session.session import Session, backend_of

NOT_FAULTS = {"look_alikes", "messy_typing"}
SECRET_COLUMNS = {"fault", "money_at_stake", "evidence_zh", "evidence_en", "look_alike", "true_amount"}


@pytest.fixture(scope="module")
def attempt(tutorial):
    return open_attempt(tutorial, lang="en")


def planted_codes(scenario) -> set[str]:
    return {code for code, rate in scenario.irregularities.model_dump().items()
            if code not in NOT_FAULTS and rate > 0}


def test_every_planted_fault_type_is_in_the_key_with_evidence_and_money(attempt, tutorial):
    key = attempt.data.key
    faulty = key[key["fault"] != ""]
    assert planted_codes(tutorial) <= set(faulty["fault"])
    assert set(faulty["fault"]) <= set(FAULTS)
    for row in faulty.to_dict("records"):
        assert row["evidence_zh"].strip() and row["evidence_en"].strip(), row
        assert row["money_at_stake"] > 0, row
    registries = set(attempt.world.registries) | {"programs", "roster"}
    assert set(faulty["evidence_registry"]) <= registries


def test_the_key_evidence_is_true_in_the_registries(attempt, tutorial):
    """The evidence the feedback cites is there for a trainee to find."""
    key = attempt.data.key.set_index("entry_id")
    truth = attempt.data.truth.set_index("entry_id")
    reg = attempt.world.registries
    start = pd.Timestamp(tutorial.calendar.period_start)
    deaths = reg["deaths"].set_index("id_number")
    for entry_id, row in key[key["fault"] != ""].iterrows():
        id_number = truth.at[entry_id, "id_number"]
        source = row["evidence_registry"]
        if row["fault"] == "dead_payee" and source == "deaths":
            assert pd.Timestamp(deaths.at[id_number, "death_date"]) < start
        elif row["fault"] == "dead_payee":  # registered late: another office shows the death
            assert source in {"cremations", "medical_insurance"}
            assert id_number in set(reg[source]["id_number"])
            assert id_number not in deaths.index
        elif row["fault"] in {"public_employee", "cadre_relative"}:
            assert source in reg and id_number in set(reg[source]["id_number"]), (row["fault"], source)
        elif row["fault"] == "duplicate":
            original = row["duplicate_of"]
            assert original in truth.index and original != entry_id
            assert truth.at[original, "id_number"] == id_number
            assert truth.at[original, "program"] == truth.at[entry_id, "program"]
        elif row["fault"] in {"data_entry_id", "data_entry_name", "data_entry_card"}:
            typed = attempt.data.typed.set_index("entry_id")
            assert row["fix_value"] != truth.at[entry_id, row["fix_field"]]  # the typed value is wrong
            assert row["fix_value"] in row["evidence_en"]
            assert entry_id in typed.index


def test_look_alikes_are_marked_and_are_not_faults(attempt):
    key = attempt.data.key
    marked = key[key["look_alike"] != ""]
    assert len(marked) > 0
    assert set(marked["look_alike"]) <= set(LOOK_ALIKES)
    assert (marked["fault"] == "").all()
    typed = attempt.data.truth.set_index("entry_id")
    for entry_id in marked.loc[marked["look_alike"] == "same_name", "entry_id"]:
        name = typed.at[entry_id, "name"]
        assert typed.loc[typed["name"] == name, "id_number"].nunique() > 1


def test_typed_roster_has_the_harmless_mess(attempt):
    typed = attempt.data.typed
    assert typed["id_number"].str.contains("[０-９Ｘ]").any(), "full-width digits"
    assert typed["id_number"].str.contains(" ").any(), "spaces in IDs"
    assert typed["account_number"].str.contains(" ").any(), "spaces in card numbers"
    assert typed["quantity"].str.endswith("亩").any()
    assert typed["amount"].str.endswith("元").any()


def test_the_platform_holds_what_was_handed_in_not_a_tidied_copy(start):
    """The import trims cell ends and reads numbers; it does not clean IDs or card numbers."""
    session = start()
    attempt = attempt_of(session)
    forms = session.collection.forms()
    held = attempt.working.set_index("entry_id")
    messy = forms[forms["account_number"].str.contains(" ")]
    assert len(messy) and (held.loc[messy["entry_id"], "account_number"].str.contains(" ")).all()
    session.collection.submit(clean_roster(forms)[0])
    held = attempt_of(session).working.set_index("entry_id")
    assert not held["account_number"].str.contains(" ").any()
    assert not held["id_number"].str.contains("[０-９Ｘ ]").any()


def test_a_messy_id_matches_no_registry_row_at_review(start):
    """Matched as held, an ID in full-width digits finds nobody by ID (a namesake by name at
    most), and the platform's own check calls it malformed."""
    session = start()
    forms = session.collection.forms()
    entry = forms[forms["id_number"].str.contains("[０-９Ｘ]")].iloc[0]
    clean_id = clean_roster(forms)[0].set_index("entry_id").at[entry["entry_id"], "id_number"]
    session.collection.submit(forms)  # handed in as typed
    messy = session.review.lookup(entry["entry_id"])
    assert messy["checks"]["id_valid"] is False
    residents = messy["hits"].get("residents")
    assert residents is None or (residents["name"] == entry["name"].strip()).all()  # by name only
    other = start()
    other.collection.submit(clean_roster(other.collection.forms())[0])
    clean = other.review.lookup(entry["entry_id"])
    assert clean["checks"]["id_valid"] is True
    assert clean_id in set(clean["hits"]["residents"]["id_number"])


def test_cleaning_is_not_marked_for_format_its_consequences_are(start):
    """Handing in the forms as typed earns no format mark at submission; the card numbers left
    with spaces come back from the bank (AC01), and that harm is the collection's."""
    session = start()
    feedback = session.collection.submit(session.collection.forms())
    assert feedback.score == 100.0  # nothing has happened to anybody yet
    # numbers are read as numbers on import; the IDs and card numbers stay as typed
    assert feedback["metrics"]["messy_cells"] >= feedback["metrics"]["cells_not_clean"] > 0
    assert {m["kind"] for m in feedback.misses} == {"not_clean"}
    roster = session.review.roster()
    session.review.submit(pd.DataFrame({"entry_id": roster["entry_id"], "decision": "approve"}))
    session.review.post_notice()
    session.review.finalize(confirm=True)
    session.payout.submit(session.payout.build_request(), progress=False, confirm=True)
    results = session.payout.results()
    spaced = results[results["account_number"].str.contains(" ")]
    assert len(spaced) and (spaced["code"] == "AC01").all()
    report = session.report().summary()
    assert report["harm"]["by_stage"].get("collection", 0) > 0
    assert report["stages"]["collection"] < 100


def test_one_village_file_has_its_own_column_order(tutorial):
    region = tutorial.region.model_copy(update={"villages_per_township": 3, "households_per_village": 25})
    attempt = open_attempt(tutorial.model_copy(update={"region": region}))
    files = attempt.data.village_files
    assert len(files) == 3
    orders = [tuple(f.columns) for f in files.values()]
    standard = tuple(ROSTER_HEADERS_ZH.values())
    assert sorted(o == standard for o in orders) == [False, True, True]
    assert all(set(o) == set(standard) for o in orders)
    # Mapped back to English names, the files together are the combined roster as typed.
    english = [f.rename(columns=canonical_columns(f.columns)) for f in files.values()]
    combined = pd.concat(english)[attempt.data.typed.columns].sort_values("entry_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(combined, attempt.data.typed.reset_index(drop=True))


@pytest.mark.parametrize("spoil", ["drop_entry", "unknown_entry"])
def test_bad_roster_is_rejected_whole_and_changes_nothing(start, spoil):
    session = start()
    attempt = attempt_of(session)
    clean, _ = clean_roster(session.collection.forms())
    working_before = attempt.working.copy()
    if spoil == "drop_entry":
        lost = clean["entry_id"].iloc[5]
        bad = clean.drop(index=clean.index[5])
    else:
        lost = "E9999"
        bad = clean.copy()
        bad.loc[bad.index[5], "entry_id"] = lost
    with pytest.raises(SubmissionError) as caught:
        session.collection.submit(bad)
    assert lost in str(caught.value)
    assert "collection" not in attempt.scores
    assert session.brief()["stages_done"] == []
    pd.testing.assert_frame_equal(attempt.working, working_before)


def _secret_hits(value, where: str) -> list[str]:
    """Places in a result where answer-key columns show up."""
    if isinstance(value, pd.DataFrame):
        return [f"{where}: {c}" for c in SECRET_COLUMNS & set(map(str, value.columns))]
    if isinstance(value, dict):
        hits = [f"{where}: {k}" for k in value if k in SECRET_COLUMNS - {"fault"}]
        return hits + [h for k, v in value.items() for h in _secret_hits(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [h for i, v in enumerate(value) for h in _secret_hits(v, f"{where}[{i}]")]
    return []


def test_the_session_never_exposes_the_answer_key(tutorial):
    recorder = RecordingBackend(backend_of(Session.start(tutorial, lang="en")))
    session = Session(recorder, lang="en")
    PERSONAS["perfect"](session)
    assert len(recorder.calls) > 20
    hits = [h for action, result in recorder.calls for h in _secret_hits(result, action)]
    assert hits == []
    # Nothing public on the session or its desks leads to the platform.
    public = {name: getattr(session, name) for name in dir(session) if not name.startswith("_")}
    for name, value in public.items():
        if callable(value) or isinstance(value, str):
            continue
        assert type(value).__module__.startswith("sandbox."), name
        assert all(k.startswith("_") for k in vars(value)), f"{name} has public state"


def test_feedback_on_a_masked_number_says_what_differs(start) -> None:
    """A report masks whole numbers, so the feedback names the differing positions: a card
    number typed with a space must not read "typed '***…0296', expected '***…0296'"."""
    from sandbox.personas import clean_forms
    from sandbox.session.report import masked

    session = start(lang="zh")
    roster = clean_forms(session)
    card = roster.loc[0, "account_number"]
    roster.loc[0, "account_number"] = f"{card[:4]} {card[4:]}"
    (miss,) = [m for m in session.collection.submit(roster).misses if m["entry_id"] == roster.loc[0, "entry_id"]]
    shown = masked(miss["evidence"])
    assert "第 5 位多了空格" in shown and card[-4:] in shown
    assert card not in shown and card[:4] not in shown.split("第")[0]  # still masked


def test_a_number_typed_in_full_width_digits_is_not_shown_whole(start) -> None:
    """Every character of a full-width number differs from the clean one: the feedback names
    the first few, and the rest stay masked like any number."""
    from sandbox.personas import clean_forms
    from sandbox.session.report import masked

    session = start(lang="zh")
    roster = clean_forms(session)
    id_number = roster.loc[0, "id_number"]
    wide = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in id_number)  # ４１２７…
    roster.loc[0, "id_number"] = wide
    (miss,) = [m for m in session.collection.submit(roster).misses if m["entry_id"] == roster.loc[0, "entry_id"]]
    shown = masked(miss["evidence"])
    typed = shown.split("“")[1].split("”")[0]  # the number as the feedback shows it
    assert "第 1 位是全角字符" in shown and typed != wide and "*" in typed
    assert sum(ch != "*" for ch in typed) <= 5 + 4  # the differences named, and the last four
