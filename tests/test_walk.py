"""The walk state machine: every event leads to the right step, with the right progress shown."""

from __future__ import annotations

import pytest

from nutsec.audit.walk import StepKind, Walk
from nutsec.audit_data import Account, Device
from nutsec.checklist.loader import load_checklist_text
from tests.conftest import DOCS, toml_block

CHECKLIST = load_checklist_text(toml_block(DOCS / "checklist-format.md"), "example")
PHONE, LAPTOP = Device("Phone", "phone"), Device("Laptop", "laptop")
MAIL, TWITTER = Account("Mail", "email"), Account("Twitter: work", "twitter")


def run(walk: Walk, events: list[str]) -> Walk:
    """Apply events written as text: 'answer:yes', 'skip', 'next', 'back', 'quit'."""
    for event in events:
        name, _, arg = event.partition(":")
        walk = walk.answer(arg) if name == "answer" else getattr(walk, name)()
    return walk


def inventoried() -> Walk:
    return Walk(CHECKLIST).with_devices((PHONE, LAPTOP)).with_accounts((MAIL, TWITTER))


def test_the_walk_order_is_inventory_passwords_then_one_subject_at_a_time() -> None:
    assert [s.key for s in inventoried().steps] == [
        "inventory:devices",
        "inventory:accounts",
        "password:Mail",
        "password:Twitter: work",
        "question:device.screen-lock:Phone",
        "question:device.screen-lock:Laptop",
        "question:account.two-factor:Mail",
        "question:account.email-recovery:Mail",
        "question:account.two-factor:Twitter: work",
        "done",
    ]


@pytest.mark.parametrize(
    ("events", "position", "progress"),
    [
        ([], "inventory:devices", ("Your devices and accounts", 1, 2)),
        (["next"], "inventory:accounts", ("Your devices and accounts", 2, 2)),
        (["next", "next"], "password:Mail", ("Your passwords", 1, 2)),
        (["next"] * 4, "question:device.screen-lock:Phone", ("Phone", 1, 5)),
        (["next"] * 4 + ["answer:yes"], "question:device.screen-lock:Laptop", ("Laptop", 2, 5)),
        (["next"] * 4 + ["skip", "answer:no"], "question:account.two-factor:Mail", ("Mail", 3, 5)),
        (
            ["next"] * 4 + ["answer:yes", "back"],
            "question:device.screen-lock:Phone",
            ("Phone", 1, 5),
        ),
        (["back", "back"], "inventory:devices", ("Your devices and accounts", 1, 2)),
        (["next"] * 4 + ["skip"] * 5, "done", None),
        (["next"] * 4 + ["skip"] * 9, "done", None),
    ],
)
def test_events_lead_to_the_right_step_and_progress(
    events: list[str], position: str, progress: tuple[object, ...] | None
) -> None:
    walk = run(inventoried(), events)
    assert walk.position == position
    shown = walk.current.progress
    if progress is None:
        assert shown is None and walk.finished
    else:
        assert shown is not None
        assert (shown.title, shown.number, shown.count) == progress


@pytest.mark.parametrize(
    ("events", "answers"),
    [
        (["answer:yes"], {("device.screen-lock", "Phone"): "yes"}),
        (["answer:yes", "back", "answer:no"], {("device.screen-lock", "Phone"): "no"}),
        (["answer:yes", "back", "skip"], {}),
        (["skip", "answer:not_sure"], {("device.screen-lock", "Laptop"): "not_sure"}),
        (
            ["answer:yes", "answer:yes", "answer:partly", "answer:not_applicable", "skip"],
            {
                ("device.screen-lock", "Phone"): "yes",
                ("device.screen-lock", "Laptop"): "yes",
                ("account.two-factor", "Mail"): "partly",
                ("account.email-recovery", "Mail"): "not_applicable",
            },
        ),
    ],
)
def test_answers_are_recorded_changed_and_forgotten(
    events: list[str], answers: dict[tuple[str, str | None], str]
) -> None:
    walk = run(inventoried(), ["next"] * 4 + events)
    assert dict(walk.answers) == answers


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (lambda w: w.answer("yes"), "no question on screen"),
        (lambda w: run(w, ["next"] * 4).answer("maybe"), "has no answer 'maybe'"),
        (lambda w: run(w, ["next"] * 4).next(), "moves on with answer"),
    ],
)
def test_impossible_events_are_refused(bad: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        bad(inventoried())  # type: ignore[operator]


def test_no_accounts_means_no_password_section() -> None:
    walk = Walk(CHECKLIST).with_devices((PHONE,))
    assert [s.kind for s in walk.steps] == [
        StepKind.DEVICES,
        StepKind.ACCOUNTS,
        StepKind.QUESTION,
        StepKind.DONE,
    ]
    progress = walk.steps[2].progress
    assert progress is not None and (progress.title, progress.number, progress.count) == (
        "Phone",
        1,
        1,
    )


def test_changing_the_inventory_keeps_the_step_and_the_answers() -> None:
    walk = run(inventoried(), ["next"] * 4 + ["answer:yes", "back", "back", "back", "back"])
    assert walk.position == "inventory:accounts"
    walk = walk.with_accounts((MAIL,))
    assert walk.position == "inventory:accounts"
    assert walk.answers == {("device.screen-lock", "Phone"): "yes"}
    assert "password:Twitter: work" not in [s.key for s in walk.steps]


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (None, "inventory:devices"),
        ("inventory:accounts", "inventory:accounts"),
        ("password:Twitter: work", "password:Twitter: work"),
        ("question:account.two-factor:Twitter: work", "question:account.two-factor:Twitter: work"),
        ("done", "done"),
        # A step that no longer exists (an account was removed): the first unanswered question.
        ("question:account.two-factor:Gone", "question:device.screen-lock:Laptop"),
    ],
)
def test_resume_starts_at_the_saved_step(position: str | None, expected: str) -> None:
    walk = Walk.resume(
        CHECKLIST,
        (PHONE, LAPTOP),
        (MAIL, TWITTER),
        {("device.screen-lock", "Phone"): "no"},
        position,
    )
    # Unchecked passwords behind it are offered again first; the saved step stays the same.
    assert walk.saved_position == expected
    assert walk.answers == {("device.screen-lock", "Phone"): "no"}


def test_resume_offers_every_unchecked_password_again_once_then_carries_on() -> None:
    where = "question:account.two-factor:Twitter: work"
    walk = Walk.resume(CHECKLIST, (PHONE, LAPTOP), (MAIL, TWITTER), {}, where)
    assert walk.position == "password-again:Mail"
    walk = walk.next()
    assert walk.position == "password-again:Twitter: work"
    walk = walk.next()
    assert walk.position == where  # once each, then the question the audit stopped at


def test_quit_stops_where_it_is() -> None:
    walk = run(inventoried(), ["next", "quit"])
    assert walk.stopped and walk.position == "inventory:accounts"


def test_a_subjects_questions_carry_the_subject_and_no_section_intro() -> None:
    step = run(inventoried(), ["next"] * 4).current
    assert step.subject == PHONE and step.section_intro == ""


def test_go_to_jumps_to_any_question_and_refuses_an_unknown_key() -> None:
    walk = inventoried()
    questions = [s for s in walk.steps if s.kind is StepKind.QUESTION]
    jumped = walk.go_to(questions[-1].key)
    assert jumped.current == questions[-1]
    assert jumped.go_to(questions[0].key).current == questions[0]
    with pytest.raises(ValueError, match="no step"):
        walk.go_to("question:nope:")


def test_how_far_an_audit_is_is_said_in_the_words_of_its_part() -> None:
    from nutsec.audit.walk import progress_phrase
    from nutsec.checklist.catalog import shipped_dir
    from nutsec.checklist.loader import load_checklist

    shipped = load_checklist(shipped_dir() / "nut-social-media.toml")
    walk = Walk(shipped, (PHONE, LAPTOP), (MAIL, TWITTER), {})
    essentials = walk.essentials
    assert essentials is not None
    first = [q for q in walk.questions if q.key in essentials]
    later = len(walk.questions) - len(first)
    assert 0 < len(first) < len(walk.questions)
    answers = {first[0].key: "yes"}
    assert progress_phrase(walk.questions, answers, essentials) == (
        f"1 of the {len(first)} questions that matter most answered so far; the other {later} "
        "can wait for another day."
    )
    # The essentials all answered (or one part only): every question counts.
    every = {q.key: "yes" for q in first}
    assert progress_phrase(walk.questions, every, essentials) == (
        f"{len(first)} of {len(walk.questions)} questions answered so far."
    )
    small = Walk(CHECKLIST, (PHONE,), (MAIL,), {})
    assert progress_phrase(small.questions, {}, small.essentials).startswith("0 of ")


def test_the_password_steps_in_a_row_are_one_run_and_continue_goes_past_all() -> None:
    """The browser shows every password step in a row on one page: the run is the steps from
    the one on screen, and going past it lands where Continue on each would have."""
    walk = run(inventoried(), ["next", "next"])
    assert [s.key for s in walk.password_run] == ["password:Mail", "password:Twitter: work"]
    assert walk.past_passwords().position == run(walk, ["next", "next"]).position
    assert walk.past_passwords().position == "question:device.screen-lock:Phone"
    later = run(walk, ["next"])
    assert [s.key for s in later.password_run] == ["password:Twitter: work"]
    assert inventoried().password_run == ()  # not on a password step: no run
    assert inventoried().past_passwords() == inventoried()
    # On resume, the passwords offered again are a run of their own, before the saved step.
    resumed = Walk.resume(
        CHECKLIST,
        (PHONE, LAPTOP),
        (MAIL, TWITTER),
        {},
        "question:device.screen-lock:Laptop",
    )
    assert [s.key for s in resumed.password_run] == [
        "password-again:Mail",
        "password-again:Twitter: work",
    ]
    assert resumed.past_passwords().position == "question:device.screen-lock:Laptop"
