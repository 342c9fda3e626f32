"""How a team's answers merge, and which disagreements decide the outcome (the pure engine)."""

from advisor.engine import questions, team
from tests.conftest import complete_answers
from tests.test_engine import API_TERMS, GATED, catalogue, model

PREPARED = catalogue(
    model("open-8b", capability=6),
    model("gated-70b", licence={**GATED, "excluded_jurisdictions": ["EU"]}, parameters="70B", capability=7),
    model("vendor-pro", access="closed-api", licence=API_TERMS, capability=9),
)


def members(*answer_overrides):
    return [
        team.Member(id=index, name=f"M{index}", answers=complete_answers(**overrides))
        for index, overrides in enumerate(answer_overrides, start=1)
    ]


def merged_value(team_members, key):
    return team.merge(team_members, PREPARED)[key].value


def test_the_strictest_hard_constraint_wins_and_says_who_gave_it():
    team_members = members(
        {"deployment": "any-api"}, {"deployment": "on-premises", "hardware": "gpu-80"}, {"deployment": "own-cloud"}
    )
    merged = team.merge(team_members, PREPARED)
    assert merged["deployment"].value == "on-premises"
    assert merged["deployment"].given_by == [2]
    assert merged["deployment"].rule == team.STRICTEST
    assert merged_value(
        members({"data_sensitivity": "regulated"}, {"data_sensitivity": "public"}), "data_sensitivity"
    ) == ("regulated")
    assert merged_value(members({"users": "1m-100m"}, {"users": "100m-700m"}), "users") == "100m-700m"
    assert (
        merged_value(members({"time_to_market": "no-rush"}, {"time_to_market": "weeks"}), "time_to_market") == "weeks"
    )
    assert merged_value(members({"hardware": "node-8x80"}, {"hardware": "gpu-24"}), "hardware") == "gpu-24"


def test_the_hardware_comes_from_the_members_who_named_the_teams_place():
    # "Any cloud API, no hardware" says nothing about the servers the on-premises member has.
    team_members = members(
        {"deployment": "any-api", "hardware": "none"},
        {"deployment": "on-premises", "hardware": "node-8x80"},
        {"deployment": "on-premises", "hardware": "gpu-80"},
    )
    merged = team.merge(team_members, PREPARED)
    assert (merged["deployment"].value, merged["hardware"].value) == ("on-premises", "gpu-80")
    assert merged["hardware"].rule == team.SAME_PLACE and merged["hardware"].given_by == [3]
    found = team.disagreements(team_members, team.answers_of(merged), PREPARED)
    hardware = next(item for item in found if item.key == "hardware")
    assert sorted(member for side in hardware.sides for member in side.members) == [2, 3]
    assert merged_value(members({"commercial": "no"}, {"commercial": "yes"}), "commercial") == "yes"


def test_not_sure_outranks_every_band_but_the_highest():
    assert merged_value(members({"users": "1m-100m"}, {"users": questions.NOT_SURE}), "users") == questions.NOT_SURE
    assert merged_value(members({"users": "over-700m"}, {"users": questions.NOT_SURE}), "users") == "over-700m"
    assert merged_value(members({"revenue": "20m-240m"}, {"revenue": questions.NOT_SURE}), "revenue") == (
        questions.NOT_SURE
    )


def test_every_need_counts_for_multiple_choice_constraints():
    team_members = members({"languages": ["en"]}, {"languages": ["ko", "en"]}, {"modalities": ["text", "audio"]})
    merged = team.merge(team_members, PREPARED)
    assert merged["languages"].value == ["en", "ko"]
    assert merged["modalities"].value == ["text", "audio"]
    assert merged["restricted_uses"].value == []


def test_preferences_take_the_middle_answer_or_the_most_named():
    assert merged_value(members({"quality": "adequate"}, {"quality": "critical"}, {"quality": "high"}), "quality") == (
        "high"
    )
    # Of an even number, the earlier of the two middle answers.
    assert merged_value(members({"volume": "low"}, {"volume": "high"}), "volume") == "low"
    assert merged_value(
        members({"use_case": "coding"}, {"use_case": "agents"}, {"use_case": "agents"}), "use_case"
    ) == ("agents")
    # A tie goes to the choice listed first.
    assert merged_value(members({"budget": "fixed"}, {"budget": "pay-per-use"}), "budget") == "pay-per-use"


def test_a_regulated_sector_wins_over_none_and_the_jurisdiction_that_rules_out_more_wins():
    assert merged_value(members({"sector": "general"}, {"sector": "finance"}, {"sector": "general"}), "sector") == (
        "finance"
    )
    # Two members in the US, one in the EU: the EU answer rules a model out, so it is the strictest.
    team_members = members({"jurisdiction": "US"}, {"jurisdiction": "US"}, {"jurisdiction": "EU"})
    assert merged_value(team_members, "jurisdiction") == "EU"


def test_a_merged_on_device_answer_takes_the_smallest_device_named():
    team_members = members(
        {"deployment": "on-device", "hardware": "laptop"},
        {"deployment": "on-device", "hardware": "phone"},
        {"deployment": "own-cloud", "hardware": "gpu-80"},
    )
    merged = team.merge(team_members, PREPARED)
    assert (merged["deployment"].value, merged["hardware"].value) == ("on-device", "phone")
    questions.check(team.answers_of(merged))  # the merged answers are valid engine input


def test_overrides_replace_merged_answers_and_stale_ones_are_dropped():
    merged = team.merge(members({"deployment": "any-api"}, {"deployment": "own-cloud"}), PREPARED)
    overrides = {
        "deployment": {"value": "any-api", "reason": "legal says fine"},
        "hardware": {"value": "gpu-80", "reason": "bought one"},
        "gone": {"value": "x", "reason": "a question that no longer exists"},
    }
    kept = team.valid_overrides(merged, overrides)
    assert set(kept) == {"deployment", "hardware"}
    assert team.answers_of(merged, kept)["deployment"] == "any-api"
    # An override that does not fit the other answers (on users' devices needs a device) is dropped.
    assert team.valid_overrides(merged, {"deployment": {"value": "on-device", "reason": "x"}}) == {}


def test_a_disagreement_that_changes_the_verdict_is_listed_first_with_the_members_on_each_side():
    team_members = members(
        {"budget": "fixed"},
        {"deployment": "on-premises", "hardware": "node-8x80", "budget": "pay-per-use"},
        {"budget": "either"},
    )
    answers = team.answers_of(team.merge(team_members, PREPARED))
    found = team.disagreements(team_members, answers, PREPARED)
    assert found[0].key == "deployment" and found[0].changes_verdict
    sides = {tuple(side.members): side for side in found[0].sides}
    assert sides[(2,)].value == "on-premises"  # the team's answer comes first
    assert found[0].sides[0].members == [2]
    assert sides[(1, 3)].changes_verdict and sides[(1, 3)].verdict == "closed"
    budget = next(item for item in found if item.key == "budget")
    assert not budget.changes_verdict
    assert [item.key for item in found].index("budget") > 0


def test_members_who_agree_have_no_disagreements():
    team_members = members({}, {})
    answers = team.answers_of(team.merge(team_members, PREPARED))
    assert team.disagreements(team_members, answers, PREPARED) == []
