"""The password step: reuse is recomputed for every account checked so far; passwords are wiped."""

from __future__ import annotations

from nutsec.audit.password_step import PasswordChecker, strength_context
from nutsec.audit_data import Account
from nutsec.breach.model import BreachStatus, OfflineSource
from nutsec.secret import Secret

MAIL, TWITTER, FB = (
    Account("Mail", "email"),
    Account("Twitter", "twitter", "sam"),
    Account("FB", "facebook"),
)


def test_strength_context_names_the_account_and_the_union() -> None:
    assert strength_context(TWITTER) == ("twitter", "Twitter", "sam", "nut", "union")
    assert strength_context(MAIL) == ("email", "Mail", "nut", "union")


def test_reuse_is_recomputed_for_earlier_accounts_and_secrets_are_wiped() -> None:
    checker = PasswordChecker(OfflineSource())
    first = Secret("kettle ocean violin 77")
    found = checker.check(MAIL, first)
    assert first.wiped
    assert found["Mail"].reused_with == ()
    assert found["Mail"].breach.status is BreachStatus.UNKNOWN
    found = checker.check(TWITTER, Secret("kettle ocean violin 77"))
    assert found["Mail"].reused_with == ("Twitter",)
    assert found["Twitter"].reused_with == ("Mail",)
    found = checker.check(FB, Secret("kettle ocean violin 78"))
    assert found["FB"].similar_to == ("Mail", "Twitter")


def test_checking_an_account_again_replaces_its_password() -> None:
    checker = PasswordChecker(OfflineSource())
    checker.check(MAIL, Secret("kettle ocean violin 77"))
    checker.check(TWITTER, Secret("kettle ocean violin 77"))
    found = checker.check(TWITTER, Secret("a completely different phrase!"))
    assert found["Mail"].reused_with == ()
    assert found["Twitter"].reused_with == ()
    assert set(found) == {"Mail", "Twitter"}


def test_a_question_the_check_could_not_answer_says_why_instead_of_offering_it_as_new() -> None:
    """After a check whose breach look-up failed, its breach question is still asked: the walk
    says the check was made and why it could not answer, for both front-ends to show."""
    from nutsec.audit.walk import Walk
    from nutsec.checklist.catalog import shipped_dir
    from nutsec.checklist.loader import load_checklist

    checklist = load_checklist(shipped_dir() / "nut-social-media.toml")
    found = PasswordChecker(OfflineSource()).check(MAIL, Secret("kettle ocean violin 77"))
    walk = Walk(checklist, (), (MAIL, FB), {}, passwords=found)
    questions = {(q.item.id, q.subject): q for q in walk.questions}
    breached = questions[("account.breached-password-changed", "Mail")]
    note = walk.check_note(breached)
    assert note is not None and note.startswith("nutsec checked this password, but could not")
    assert "known breaches" in note
    # FB's password is not checked yet: the usual offer to check it, no note.
    assert walk.check_note(questions[("account.breached-password-changed", "FB")]) is None
    # A question no check answers has no note.
    person = next(q for q in walk.questions if q.subject is None)
    assert walk.check_note(person) is None


def test_a_verdict_does_not_say_turn_on_two_step_sign_in_to_someone_who_said_it_is_on() -> None:
    from nutsec.audit.walk import Walk
    from nutsec.checklist.catalog import shipped_dir
    from nutsec.checklist.loader import load_checklist
    from nutsec.checklist.model import AnswerStatus
    from nutsec.verdict import judge_password

    checklist = load_checklist(shipped_dir() / "nut-social-media.toml")
    item = checklist.item("account.email-two-factor")
    assert item is not None
    yes = next(o.key for o in item.answers if o.status is AnswerStatus.PASS)
    no = next(o.key for o in item.answers if o.status is AnswerStatus.FAIL)
    found = PasswordChecker(OfflineSource()).check(MAIL, Secret("kettle ocean violin 77"))["Mail"]
    for answer, on in ((yes, True), (no, False)):
        walk = Walk(checklist, (), (MAIL,), {("account.email-two-factor", "Mail"): answer})
        assert walk.two_step_on("Mail") is on
        advice = judge_password(found.strength, found.breach, two_step_on=on).advice
        assert any("two-step" in line for line in advice) is not on
    assert Walk(checklist, (), (MAIL,), {}).two_step_on("Mail") is None  # not asked yet


def test_a_verdict_leaves_two_step_advice_to_the_question_still_to_come() -> None:
    """Before the audit asks about an account's second step, its password's verdict says nothing
    of it (the question will, with the steps); the stand-alone check, which asks nothing, still
    says 'if it is not on yet'."""
    from nutsec.audit.walk import Walk
    from nutsec.checklist.catalog import shipped_dir
    from nutsec.checklist.loader import load_checklist
    from nutsec.verdict import judge_findings, judge_password

    checklist = load_checklist(shipped_dir() / "nut-social-media.toml")
    found = PasswordChecker(OfflineSource()).check(MAIL, Secret("kettle ocean violin 77"))["Mail"]
    walk = Walk(checklist, (), (MAIL,)).next().next()  # on Mail's password step
    assert walk.two_step_on("Mail") is None and walk.two_step_to_ask("Mail")
    advice = judge_findings(found, two_step_on=None, two_step_to_ask=True).advice
    assert not any("two-step" in line for line in advice)
    alone = judge_password(found.strength, found.breach).advice
    assert any(line.startswith("If it is not on yet, turn on two-step") for line in alone)
    # Once past the question (skipped), it is no longer to come: the advice is back.
    key = next(
        s.key for s in walk.steps if s.question and s.question.item.id == "account.email-two-factor"
    )
    past = walk.go_to(key).skip()
    assert not past.two_step_to_ask("Mail")
