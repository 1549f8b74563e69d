"""Version 2.4 of the shipped checklist only rewords: the first sitting's questions are shorter
(it has to fit 15 minutes, read at about 200 words a minute), the theft-protection question asks
one thing, and "What has changed" says what "the 2012 guidance" is. Nothing a saved answer or a
score depends on changes (compared with tests/checklists/nut-social-media-2.3.toml).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nutsec.audit.outcomes import asked_questions
from nutsec.audit.walk import CHECK_ANSWERS, essential_keys
from nutsec.audit_data import Account, Device
from nutsec.checklist.catalog import shipped_dir
from nutsec.checklist.loader import load_checklist
from nutsec.checklist.model import Checklist

OLD = load_checklist(Path(__file__).parent / "checklists" / "nut-social-media-2.3.toml")
NEW = load_checklist(shipped_dir() / "nut-social-media.toml")
#: A phone, a laptop and three accounts, as in tests/test_essentials_first.py.
DEVICES = (Device("Phone", "phone", "android"), Device("Laptop", "laptop", "windows"))
ACCOUNTS = (
    Account("Work e-mail", "email", "", "work"),
    Account("X", "twitter", ""),
    Account("Facebook", "facebook", ""),
)


def first_sitting_words(checklist: Checklist) -> tuple[int, int]:
    """The number of questions the first sitting asks, and their words."""
    chosen = essential_keys(checklist, DEVICES, ACCOUNTS)
    asked = [
        q
        for q in asked_questions(checklist, DEVICES, ACCOUNTS, {})
        if q.key in chosen and q.item.id not in CHECK_ANSWERS  # a password check answers these
    ]
    return len(asked), sum(len(q.item.question.split()) for q in asked)


def test_the_versions_compared() -> None:
    assert (OLD.version, NEW.version) == ("2.3", "2.4")


def test_the_first_sitting_asks_the_same_20_questions_in_a_quarter_fewer_words() -> None:
    old_count, old_words = first_sitting_words(OLD)
    new_count, new_words = first_sitting_words(NEW)
    assert old_count == new_count == 20
    assert essential_keys(OLD, DEVICES, ACCOUNTS) == essential_keys(NEW, DEVICES, ACCOUNTS)
    assert old_words == 413
    assert new_words <= old_words * 3 / 4, new_words


def test_nothing_an_answer_or_a_score_depends_on_changes() -> None:
    assert [s.id for s in NEW.sections] == [s.id for s in OLD.sections]
    assert [i.id for i in NEW.items()] == [i.id for i in OLD.items()]
    for new in NEW.items():
        old = OLD.item(new.id)
        assert old is not None
        assert (new.scope, new.severity, new.weight) == (old.scope, old.severity, old.weight)
        assert [(a.key, a.status) for a in new.answers] == [(a.key, a.status) for a in old.answers]
        assert (new.applies_to, new.replaces, new.source) == (
            old.applies_to,
            old.replaces,
            old.source,
        )


def test_theft_protection_asks_one_thing_and_gives_the_rest_as_extra_steps() -> None:
    theft = NEW.item("device.theft-protection")
    assert theft is not None
    question = theft.question.lower()
    assert "theft protection" in question and question.count("?") == 1
    assert " and " not in question and "," not in question and ":" not in question
    assert "sim" not in question and "preview" not in question
    for system, steps in [("other", theft.fix), *theft.fix_variants]:
        assert "Two extra steps" in steps, system
        assert "SIM" in steps, system
        assert re.search(r"Previews|notifications|lock screen", steps), system


def _texts_a_person_reads(checklist: Checklist) -> list[tuple[str, str]]:
    texts = [(f"section {s.id}", s.intro) for s in checklist.sections]
    for item in checklist.items():
        texts += [
            (f"{item.id} {field}", getattr(item, field))
            for field in ("question", "why", "fix", "current")
        ]
        texts += [(f"{item.id} fix_for.{key}", text) for key, text in item.fix_variants]
        texts += [(f"{item.id} label", a.label) for a in item.answers]
    return texts


@pytest.mark.parametrize("phrase", ["not in the 2012 guidance", "the 2012 guidance", "PSTI"])
def test_what_has_changed_says_it_in_plain_words(phrase: str) -> None:
    """A rep does not know which guidance "the 2012 guidance" is, nor what the PSTI Act is."""
    texts = _texts_a_person_reads(NEW)
    assert [where for where, text in texts if phrase.lower() in text.lower()] == []
    # (2.3 said both, e.g. "Not in the 2012 guidance." and "(the PSTI Act)")
    old = _texts_a_person_reads(OLD)
    assert [where for where, text in old if phrase.lower() in text.lower()] != []


def test_new_advice_says_it_is_new_since_the_unions_guidance() -> None:
    new_since = {
        i.id for i in NEW.items() if i.current.startswith("New since the union's 2012 guidance: ")
    }
    assert new_since == {
        "device.theft-protection",
        "device.backups",
        "passwords.manager",
        "passwords.passkeys",
        "account.email-two-factor",
        "account.two-factor",
        "monitoring.extra-protection",
        "lost-device.backup-sign-in",
    }
    updates = NEW.item("device.updates")
    assert updates is not None
    assert "makers must say how long a device sold in the UK gets updates" in updates.current
