"""The runbook walk (pure): done steps are passed over and keep their first time; skip and back
behave as the screen says; one device is picked by name, whatever its case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nutsec.audit_data import Account, Audit, Device
from nutsec.errors import NutsecError
from nutsec.lostdevice.card import CardStep
from nutsec.lostdevice.paper import render_runbook_text
from nutsec.lostdevice.platforms import shipped_platform_guide
from nutsec.lostdevice.runbook import Runbook, RunbookWalk, build_runbook, find_device

T0 = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
RUNBOOK = build_runbook(
    3,
    Device("Work phone", "laptop"),  # a laptop: no step for sign-in codes sent to it
    [Account("X", "twitter"), Account("Mail", "email")],
    shipped_platform_guide(),
)
STEPS = RUNBOOK.card.steps  # report, lock, Mail, X, check
KEYS = [s.key for s in STEPS]


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("moves", "index", "done", "skipped"),
    [
        ("", 0, [], []),
        ("d", 1, [0], []),
        ("dd", 2, [0, 1], []),
        ("s", 1, [], [0]),
        ("sd", 2, [1], [0]),
        ("sdb", 1, [1], [0]),
        ("sdbb", 0, [1], [0]),
        ("sdbbd", 2, [0, 1], []),  # ticking a skipped step takes it off the skipped list
        ("b", 0, [], []),  # nothing before the first step
        ("ddddd", 5, [0, 1, 2, 3, 4], []),
        ("dsddd", 5, [0, 2, 3, 4], [1]),
        ("ddddsb", 4, [0, 1, 2, 3], [4]),  # back from the end
    ],
)
def test_walk_moves(moves: str, index: int, done: list[int], skipped: list[int]) -> None:
    walk = RunbookWalk.start(STEPS, {})
    for number, move in enumerate(moves):
        if move == "d":
            walk.mark_done(at(number))
        elif move == "s":
            walk.skip()
        else:
            walk.back()
    assert walk.index == index
    assert sorted(walk.done) == sorted(KEYS[i] for i in done)
    assert walk.skipped == [KEYS[i] for i in skipped]
    assert walk.finished is (index == len(STEPS))


def test_a_second_run_starts_at_the_first_step_not_done_and_passes_over_done_ones() -> None:
    earlier = {KEYS[0]: at(1), KEYS[1]: at(2), KEYS[3]: at(3)}
    walk = RunbookWalk.start(STEPS, earlier)
    assert walk.current.key == KEYS[2]
    walk.mark_done(at(9))
    assert walk.current.key == KEYS[4], "step 4 was done earlier: passed over"
    walk.back()
    assert walk.current.key == KEYS[3], "back still shows a done step"
    walk.mark_done(at(10))
    assert walk.done[KEYS[3]] == at(3), "a step keeps the time it was first done"
    assert [s.key for s in walk.not_done()] == [KEYS[4]]


def test_all_done_is_finished_from_the_start() -> None:
    walk = RunbookWalk.start(STEPS, {key: T0 for key in KEYS})
    assert walk.finished and walk.not_done() == []
    with pytest.raises(IndexError):
        _ = walk.current


DEVICES = [Device("Work phone", "phone"), Device("Laptop", "laptop")]


@pytest.mark.parametrize(("name", "found"), [("laptop", "Laptop"), (" WORK phone ", "Work phone")])
def test_a_device_is_found_whatever_its_case(name: str, found: str) -> None:
    assert find_device(DEVICES, name, "audit 3").name == found


def test_an_unknown_device_names_the_known_ones() -> None:
    with pytest.raises(NutsecError) as caught:
        find_device(DEVICES, "tablet", "audit 3")
    assert caught.value.message == (
        "No device called 'tablet' in audit 3. Its devices: 'Work phone', 'Laptop'."
    )
    with pytest.raises(NutsecError, match=r"^Audit 3 lists no devices"):
        find_device([], "tablet", "audit 3")


def test_the_runbook_secures_every_account_for_the_one_device() -> None:
    assert RUNBOOK.device_key == "Work phone" and RUNBOOK.audit_id == 3
    assert [s.subject for s in STEPS] == [None, "Work phone", "Mail", "X", None]


def test_paper_has_a_box_and_a_time_blank_per_step_and_ticked_steps_show_their_time() -> None:
    text = render_runbook_text(RUNBOOK.card, ["For: Work phone (phone)."], {KEYS[0]: T0})
    assert text.count("[ ]") == len(STEPS) - 1 and text.count("[x]") == 1
    assert text.count("time: ____") == len(STEPS) - 1
    from nutsec.report.view import show_date

    assert f"done {show_date(T0)}" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert not any(line != line.rstrip() for line in text.splitlines()), "no trailing blanks"
    assert "Sign out everywhere: Settings and privacy" in text


def test_names_with_control_characters_and_markup_are_printed_inert() -> None:
    name = "[bold red]Phone\x1b]0;owned\x07\x1b[2J"
    runbook = build_runbook(1, Device(name, "phone"), [], shipped_platform_guide())
    text = render_runbook_text(runbook.card, [f"For: {name}."], {})
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold red]Phone<U+001B>]0;owned<U+0007><U+001B>[2J" in text


# The audit's answers change the steps (issue 19) ------------------------------------------------


def _pats_audit(answers: dict[tuple[str, str | None], str], kind: str = "phone") -> Audit:
    """Audit 7: Pat's phone, Pat mail and Pat X, with these answers."""
    from nutsec.demo.script import demo_checklist

    phone = Device("Pat's phone", kind, "android")
    accounts = (Account("Pat mail", "email"), Account("Pat X", "twitter"))
    return Audit(demo_checklist(), T0, id=7, devices=(phone,), accounts=accounts, answers=answers)


def _audit_runbook(answers: dict[tuple[str, str | None], str], kind: str = "phone") -> Runbook:
    audit = _pats_audit(answers, kind)
    phone = audit.devices[0]
    return build_runbook(7, phone, audit.accounts, shipped_platform_guide(), audit)


def _step(runbook: Runbook, key: str) -> CardStep:
    return next(s for s in runbook.card.steps if s.key == key)


@pytest.mark.parametrize("answer", ["no", "not_sure"])
def test_find_my_off_or_not_sure_changes_step_2_into_what_to_do_without_it(answer: str) -> None:
    runbook = _audit_runbook({("device.remote-lock", "Pat's phone"): answer})
    step = runbook.card.steps[1]
    assert step.key == "lock_and_wipe:Pat's phone" and step.number == 2
    assert step.title == "Pat's phone cannot be locked or wiped from afar"
    said = " ".join(f"{line.label}: {line.text}" for line in step.lines)
    assert "mobile network" in said.lower() and "IT desk" in said and "Passwords first" in said
    on = _audit_runbook({("device.remote-lock", "Pat's phone"): "yes"}).card.steps[1]
    assert on.title == "Lock and wipe Pat's phone remotely" and not on.lines


@pytest.mark.parametrize(
    ("answer", "words"),
    [("no", "turn it on"), ("not_sure", "check it, and turn it on if it is off")],
)
def test_two_step_off_becomes_turn_it_on_once_you_are_back_in(answer: str, words: str) -> None:
    runbook = _audit_runbook({("account.two-factor", "Pat X"): answer})
    step = _step(runbook, "secure_account:Pat X")
    two_step = [line for line in step.lines if line.label.lower().startswith("two-step")]
    assert len(two_step) == 1 and words in two_step[0].text and "back in" in two_step[0].text
    untouched = _step(runbook, "secure_account:Pat mail")
    assert not any("Your audit says" in line.text for line in untouched.lines)
    on = _step(_audit_runbook({("account.two-factor", "Pat X"): "yes"}), "secure_account:Pat X")
    assert not any("back in" in line.text for line in on.lines)


def test_a_lost_phone_gets_a_step_for_accounts_whose_codes_went_to_it() -> None:
    runbook = _audit_runbook({})
    step = runbook.card.steps[2]
    assert step.key == "regain_access" and step.number == 3
    said = {line.label: line.text for line in step.lines}
    assert {"Backup codes", "Another signed-in device", "Replacement SIM"} <= set(said)
    assert "android.com/lock" in said["Android phone"] and "phone number" in said["Android phone"]
    assert "g.co/recover" in said["Pat mail: account recovery"]
    assert "Pat X: account recovery" in said
    laptop = _audit_runbook({}, kind="laptop")
    assert all(s.key != "regain_access" for s in laptop.card.steps)


def test_every_step_from_the_audit_has_a_source_and_a_date_checked() -> None:
    from nutsec.lostdevice.from_audit import shipped_from_audit

    words = shipped_from_audit()
    lines = [*words.no_finder_lines, *words.codes_ways, *words.recovery.values()]
    for line in lines:
        assert line.source.startswith("https://") and len(line.checked) == 10, line


@pytest.mark.parametrize(
    ("answer", "words"),
    [("no", "two-step verification is off here: turn it on"), ("not_sure", "You were not sure")],
)
def test_the_printed_reports_card_says_what_the_audit_says_of_two_step(
    answer: str, words: str
) -> None:
    """The report's card (no platform lines) says it in the step itself; never "still on"."""
    from nutsec.report.model import build_report

    card = build_report(_pats_audit({("account.two-factor", "Pat X"): answer})).lost_device_card
    by_subject = {s.subject: s for s in card.steps if s.subject}
    assert words in by_subject["Pat X"].detail and "back in" in by_subject["Pat X"].detail
    assert "Your audit says" not in by_subject["Pat mail"].detail
    assert not any("still on" in s.detail for s in card.steps)
