"""The audit's pages over HTTP, as a browser's forms post them, against a real `nutsec web`:
the inventory (add, a name too long, the same name twice, rename, remove), the contents list and
its jumps, a password checked from a question's link, an older page's form, the keyring note said
once, and changing the answers of a finished audit.

Fast: no browser (tests/test_web_audit.py clicks the same pages in Chromium).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_web_audit import server_env
from tests.test_web_audit_interop import Browser
from tests.web_server import running_web

UNSAFE = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    data = tmp_path_factory.mktemp("web-flow") / "data"
    with running_web(data, "--offline", env=server_env(data)) as server:
        yield Browser(server)


def said(page: str) -> list[str]:
    """The page's status and problem lines."""
    return [html.unescape(t) for t in re.findall(r'class="(?:said|problem)"[^>]*>([^<]*)<', page)]


def heading(page: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def new_audit(browser: Browser) -> None:
    browser.post("/audit/stop")
    browser.post("/audit/start")


def inventory(browser: Browser) -> None:
    browser.post("/audit/devices", do="add", name="Work phone", what="phone:ios")
    browser.post("/audit/devices", do="next")
    browser.post("/audit/accounts", do="add", name="Mail", platform="email", provider="gmail")
    browser.post("/audit/accounts", do="next")


def answer_one_skip_one(browser: Browser) -> tuple[str, str]:
    """Past Mail's password (not now), the first question answered and the second skipped:
    the keys of both."""
    browser.post("/audit/password", do="next", step="password:Mail")
    first, page = browser.step()
    answer = re.search(r'value="answer:([^"]+)"', page)
    assert answer
    browser.post("/audit/step", do=f"answer:{answer.group(1)}", step=first)
    second, _ = browser.step()
    browser.post("/audit/step", do="skip", step=second)
    return first, second


def test_devices_are_added_renamed_and_removed_with_clear_messages(browser: Browser) -> None:
    new_audit(browser)
    browser.post("/audit/devices", do="add", name="Work phone", what="phone:android")
    page = browser.step()[1]
    assert said(page) == ["Added Work phone."]
    assert "Work phone (Android phone)" in page
    browser.post("/audit/devices", do="add", name="A" * 41, what="laptop:windows")
    page = browser.step()[1]
    assert said(page) == [
        "That name is 41 characters long. Please use 40 or fewer: a short name you will "
        'recognise, like "Work phone".'
    ]
    assert "A" * 41 not in page
    browser.post("/audit/devices", do="add", name="work PHONE", what="laptop:windows")
    assert said(browser.step()[1]) == [
        'You already have one called "work PHONE". Please choose another name.'
    ]
    browser.post("/audit/devices", do="add", name="Odd one", what="tablet:other")
    assert said(browser.step()[1]) == ["Added Odd one."]
    browser.post("/audit/devices", do="add", name="Sneaky", what="phone:beos")
    assert said(browser.step()[1]) == ["Please choose what Sneaky is from the list."]
    browser.post("/audit/devices", do="rename:1", **{"name-1": "Old tablet"})
    page = browser.step()[1]
    assert said(page) == ["Renamed Odd one to Old tablet."]
    assert "Old tablet (tablet)" in page
    browser.post("/audit/devices", do="remove:0")
    page = browser.step()[1]
    assert said(page) == ["Removed Work phone."]
    assert "Work phone (" not in page
    browser.post("/audit/devices", do="next")
    browser.post(
        "/audit/accounts", do="add", name="Mail", platform="email", provider="work", username="sam"
    )
    page = browser.step()[1]
    assert "Mail (work or union e-mail)" in page
    browser.post("/audit/accounts", do="add", name="Union X", platform="twitter")
    assert "Union X – X (Twitter)" in browser.step()[1]


def test_the_contents_list_every_question_and_jumps_to_any(browser: Browser) -> None:
    new_audit(browser)
    inventory(browser)
    first, second = answer_one_skip_one(browser)
    contents = browser.get("/audit/contents")
    keys = [html.unescape(k) for k in re.findall(r'name="go" value="([^"]+)"', contents)]
    assert keys[:3] == ["inventory:devices", "inventory:accounts", "password:Mail"]
    questions = [k for k in keys if k.startswith("question:")]
    assert questions[:2] == [first, second]
    assert contents.count("Your answer: ") == 1
    assert contents.count("Skipped") == 1
    assert contents.count("Not asked yet") == len(questions) - 3  # the third is on screen
    last = questions[-1]
    assert browser.post("/audit/contents", go=last) == "/audit/step"
    here, page = browser.step()
    assert here == last
    # The last question of the audit is the last of its part (each part is numbered 1 to n).
    assert re.search(r"Question (\d+) of \1\b", page)
    # An older page's form (the browser's Back) answers the question it showed.
    browser.post("/audit/step", do="skip", step=first)
    contents = browser.get("/audit/contents")
    assert "Your answer: " not in contents


def test_a_password_checked_from_its_question_answers_it_and_moves_on(browser: Browser) -> None:
    new_audit(browser)
    inventory(browser)
    browser.post("/audit/password", do="next", step="password:Mail")
    target = "question:account.password-unique:Mail"
    browser.post("/audit/contents", go=target)
    here, page = browser.step()
    assert here == target
    assert 'href="/audit/passwords#account-0">check this password now</a>' in page
    browser.post("/audit/passwords", account="Mail", password="correct horse battery staple")
    passwords = browser.get("/audit/passwords")
    assert "Checked just now." in passwords
    # This account's question, and (every account now checked) the one about all passwords.
    assert (
        "This check answered 2 questions for you (whether it is used anywhere else and whether "
        "your passwords are hard to guess), so nutsec will not ask them."
    ) in said(passwords)
    after, page = browser.step()
    assert after.startswith("question:") and after != target
    assert target not in browser.get("/audit/contents")


def test_a_finished_audit_can_have_an_answer_changed(browser: Browser) -> None:
    new_audit(browser)
    browser.post("/audit/devices", do="next")
    browser.post("/audit/accounts", do="next")
    where = ""
    for _ in range(100):
        key, page = browser.step()
        if key == "essentials-done":  # the essentials are done: carry on now
            browser.post("/audit/step", do="next", step=key)
            continue
        yes = re.search(r'value="answer:([^"]+)"', page)
        assert yes, heading(page)
        where = browser.post("/audit/step", do=f"answer:{yes.group(1)}", step=key)
        if where.startswith("/audit/end/"):
            break
    audit_id = where.rsplit("/", 1)[1]
    end = browser.get(where)
    score = re.search(r"Your score: (\d+) out of 100", end)
    assert score
    hub = browser.get("/audit")
    assert f"Audit {audit_id}, finished" in hub
    browser.post("/audit/revisit", audit_id=audit_id, which="all")
    key, page = browser.step()
    assert "Changing your answers" in page
    assert "Your earlier answer:" in page
    options = re.findall(r'value="answer:([^"]+)"', page)
    browser.post("/audit/step", do=f"answer:{options[-1]}", step=key)  # the worst, say
    browser.post("/audit/stop")
    assert any("score follows them" in line for line in said(browser.get("/audit")))
    changed = re.search(r"Your score: (\d+) out of 100", browser.get(where))
    assert changed and int(changed.group(1)) <= int(score.group(1))
    browser.post("/audit/revisit", audit_id=audit_id, which="skipped")
    # Nothing was skipped: the walk goes straight to its end.
    assert "That was the last question" in browser.step()[1]
    browser.post("/audit/stop")


def test_the_keyring_note_is_said_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_web(data, "--offline", env={**server_env(data), **UNSAFE}) as server:
        browser = Browser(server)
        browser.post("/audit/start")
        inventory(browser)
        first = browser.step()[1]
        assert "on this computer it cannot safely remember anything" in html.unescape(first)
        assert "keyring" not in html.unescape(first)
        # In plain words only: no command to type, no names of keyring back-ends.
        assert "nutsec config" not in html.unescape(first) and "The details" not in first
        again = browser.step()[1]
        assert "cannot safely remember" not in html.unescape(again)
        assert "cannot safely remember" not in html.unescape(browser.get("/audit/passwords"))


def test_a_check_that_could_not_look_the_password_up_says_so_on_its_question(
    browser: Browser,
) -> None:
    """Offline, the check cannot look the password up: its breach question is still asked, and
    says the check was made and why it could not answer, not 'check this password now' again."""
    new_audit(browser)
    inventory(browser)
    browser.post("/audit/password", do="next", step="password:Mail")
    browser.post("/audit/passwords", account="Mail", password="correct horse battery staple")
    target = "question:account.breached-password-changed:Mail"
    browser.post("/audit/contents", go=target)
    here, page = browser.step()
    assert here == target
    text = html.unescape(page)
    assert "nutsec checked this password, but could not look it up in known breaches" in text
    assert "check this password now" not in text


def test_the_first_visit_starts_the_audit_in_one_press(tmp_path: Path) -> None:
    """No audit yet: the welcome page's button starts one, straight to the devices page."""
    data = tmp_path / "data"
    with running_web(data, "--offline", env=server_env(data)) as server:
        client = server.session()
        welcome = client.get(server.base + "/", timeout=10).text
        form = re.search(r'<form method="post" action="/audit/start">(.*?)</form>', welcome, re.S)
        assert form and "Start my audit" in form.group(1)
        token = server.csrf(client)
        started = client.post(
            server.base + "/audit/start",
            data={"csrf_token": token},
            headers={"Origin": server.base},
            timeout=10,
        )
        assert started.status_code == 200
        assert "<h1>Your devices</h1>" in started.text


def test_a_password_left_for_later_says_where_to_check_it(browser: Browser) -> None:
    new_audit(browser)
    inventory(browser)
    browser.post("/audit/password", do="next", step="password:Mail")
    _, page = browser.step()
    assert said(page) == [
        "Mail's password is not checked. Check it any time from \"My accounts' passwords\" at "
        "the foot of the page, or from its questions."
    ]
    assert "My accounts&#39; passwords" in page or "My accounts' passwords" in page
    assert said(browser.step()[1]) == []  # said once


def test_the_printed_report_of_an_unfinished_audit_lists_only_what_was_skipped(
    tmp_path: Path,
) -> None:
    """The questions not reached yet are still to come, not "Questions you skipped"."""
    data = tmp_path / "data"
    with running_web(data, "--offline", env=server_env(data)) as server:
        browser = Browser(server)
        browser.post("/audit/start")
        inventory(browser)
        answer_one_skip_one(browser)
        address = browser.post("/report", audit="1")
        assert address.startswith("/report/print/")
        report = browser.get(address)
        skipped = re.search(r'<ul class="compact skipped">(.*?)</ul>', report, re.S)
        assert skipped and skipped.group(1).count("<li>") == 1, skipped
        # It names the page to carry on from, not a command to type.
        assert "Carry on with it in nutsec: My audit." in report
        assert "nutsec audit --resume" not in report


def test_my_audit_leads_with_carrying_on_and_folds_a_new_audit_away(browser: Browser) -> None:
    """After "another day", My audit is about carrying on: a new audit is one click further."""
    new_audit(browser)
    inventory(browser)
    browser.post("/audit/stop")
    hub = browser.get("/audit")
    carry_on = hub.index("Carry on with audit")
    folded = hub.index('<details class="new-audit">')
    assert carry_on < folded
    assert "Start a new audit instead</summary>" in hub
    assert (
        "First you list your devices and accounts" not in hub
    )  # the long version is for a first audit


def test_one_press_adds_a_device_or_account_with_a_name_and_the_right_provider(
    tmp_path: Path,
) -> None:
    """The buttons post only what the item is: each gets a name of its own ("Facebook 2" for a
    second one), an e-mail its provider, and the user name can be added afterwards."""
    from nutsec.store.sqlite import open_store

    data = tmp_path / "data"
    with running_web(data, "--offline", env=server_env(data)) as server:
        browser = Browser(server)
        browser.post("/audit/start")
        for what in ("phone:android", "laptop:macos", "phone:android"):
            browser.post("/audit/devices", do="add", what=what)
        browser.step()
        browser.post("/audit/devices", do="add", what="phone:beos")
        assert said(browser.step()[1]) == [
            "Please press the button that says what kind of device it is."
        ]
        browser.post("/audit/devices", do="next")
        for choice in ("email:work", "email:gmail", "facebook", "facebook"):
            browser.post("/audit/accounts", do="add", choice=choice)
        browser.post(
            "/audit/accounts", do="rename:0", **{"name-0": "School mail", "username-0": "pat"}
        )
        assert said(browser.step()[1]) == ["Renamed School e-mail to School mail."]
        browser.post(
            "/audit/accounts", do="rename:1", **{"name-1": "Gmail", "username-1": "p" * 81}
        )
        assert said(browser.step()[1]) == [
            "That user name is too long. Please use 80 characters or fewer."
        ]
        browser.post("/audit/accounts", do="next")
        page = browser.step()[1]
        assert heading(page) == "Your passwords"
        for name in ("School mail", "Gmail", "Facebook", "Facebook 2"):
            assert f">Password of {name}" in page
    with open_store(data) as store:
        audit = store.load(store.unfinished()[0].id)
    assert [(d.name, d.kind, d.system) for d in audit.devices] == [
        ("Android phone", "phone", "android"),
        ("Mac laptop", "laptop", "macos"),
        ("Android phone 2", "phone", "android"),
    ]
    assert [(a.name, a.platform, a.provider, a.username) for a in audit.accounts] == [
        ("School mail", "email", "work", "pat"),
        ("Gmail", "email", "gmail", ""),
        ("Facebook", "facebook", "", ""),
        ("Facebook 2", "facebook", "", ""),
    ]


def test_every_password_in_a_row_is_checked_from_one_page(browser: Browser) -> None:
    """Three fields, one button: what each check found, one line for what they answered, the
    same advice written once, and Continue goes past all three."""
    new_audit(browser)
    browser.post("/audit/devices", do="next")
    for choice in ("email:gmail", "twitter", "facebook"):
        browser.post("/audit/accounts", do="add", choice=choice)
    browser.post("/audit/accounts", do="next")
    here, page = browser.step()
    assert here == "password:Gmail"
    assert page.count('type="password"') == 3
    browser.post(
        "/audit/password",
        do="check",
        step=here,
        **{"password-0": "Tr0ub4dor&3", "password-1": "Tr0ub4dor&3", "password-2": ""},
    )
    here, page = browser.step()
    assert here == "password:Gmail"
    text = html.unescape(page)
    assert said(page)[0] == (
        "These checks answered nutsec's questions about these passwords, so it will not ask them."
    )
    assert "The same password as on X." in text and "The same password as on Gmail." in text
    assert "What to do: the same as for Gmail." in text
    assert page.count('type="password"') == 1  # only Facebook's is left to type
    assert "Tr0ub4dor" not in page
    browser.post("/audit/password", do="next", step=here)
    here, page = browser.step()
    assert here.startswith("question:")
    assert said(page) == [
        "Facebook's password is not checked. Check it any time from \"My accounts' passwords\" "
        "at the foot of the page, or from its questions."
    ]


def test_across_a_stop_with_no_safe_keyring_the_earlier_passwords_can_be_typed_again(
    tmp_path: Path,
) -> None:
    """School e-mail checked, X left; stop; carry on: X is offered again. Its check cannot be
    compared with School e-mail's (no key kept), the page says so in the core's line and offers
    School e-mail's field right there; typed again, the near-reuse is found. Nothing is kept."""
    data = tmp_path / "data"
    with running_web(data, "--offline", env={**server_env(data), **UNSAFE}) as server:
        browser = Browser(server)
        browser.post("/audit/start")
        browser.post("/audit/devices", do="next")
        for choice in ("email:work", "twitter"):
            browser.post("/audit/accounts", do="add", choice=choice)
        browser.post("/audit/accounts", do="next")
        here, _ = browser.step()
        browser.post("/audit/password", do="check", step=here, **{"password-0": "Summer2024!"})
        browser.post("/audit/password", do="next", step=here)
        browser.post("/audit/stop")
        browser.post("/audit/resume", audit_id="1")
        here, page = browser.step()
        assert here == "password-again:X"
        assert "Passwords not checked last time" in page
        assert "Compare with your earlier passwords" not in page  # nothing checked now yet
        browser.post("/audit/password", do="check", step=here, **{"password-0": "Summer2025!"})
        here, page = browser.step()
        text = html.unescape(page)
        assert (
            "This password could not be compared with School e-mail's, checked before you stopped."
        ) in text
        assert 'name="again-0"' in page and ">Password of School e-mail<" in page
        assert "Very like the password" not in text
        browser.post("/audit/password", do="compare", step=here, **{"again-0": "Summer2024!"})
        here, page = browser.step()
        text = html.unescape(page)
        assert "Compared them all: what nutsec found is brought up to date below." in said(page)
        assert "Very like the password on School e-mail." in text
        assert "Compare with your earlier passwords" not in page  # all compared now
        assert "Summer202" not in page
        # The page of every password offers the same, and says nothing was typed when so.
        browser.post("/audit/passwords", do="compare")
        assert "Compare with your earlier passwords" not in browser.get("/audit/passwords")
        browser.post("/audit/stop")
    for path in data.rglob("*"):
        if path.is_file():
            assert b"Summer202" not in path.read_bytes()


def test_the_welcome_says_how_long_the_first_sitting_takes_in_the_browser(
    browser: Browser,
) -> None:
    """From the core, as measured for the browser (docs/walkthrough.md): the terminal, where
    names are typed and each password has its own screen, says its own."""
    from nutsec.audit.walk import first_sitting_minutes

    assert first_sitting_minutes("browser") == "15 to 20"
    assert first_sitting_minutes() == "20 to 25"
    welcome = " ".join(html.unescape(browser.get("/")).split())
    assert "The first sitting takes about 15 to 20 minutes" in welcome


def test_the_end_page_lists_the_passwords_still_unchecked_and_how_to_check_them(
    browser: Browser,
) -> None:
    new_audit(browser)
    browser.post("/audit/devices", do="next")
    for choice in ("email:gmail", "facebook"):
        browser.post("/audit/accounts", do="add", choice=choice)
    browser.post("/audit/accounts", do="next")
    here, _ = browser.step()
    browser.post(
        "/audit/password", do="check", step=here, **{"password-0": "correct horse battery staple"}
    )
    browser.post("/audit/password", do="next", step=here)
    contents = browser.get("/audit/contents")
    last = re.findall(r'name="go" value="([^"]+)"', contents)[-1]
    browser.post("/audit/contents", go=html.unescape(last))
    here, page = browser.step()
    answer = re.search(r'value="answer:([^"]+)"', page)
    assert answer
    where = browser.post("/audit/step", do=f"answer:{answer.group(1)}", step=here)
    assert where.startswith("/audit/end/"), where
    end = " ".join(html.unescape(browser.get(where)).split())
    assert (
        'Not checked yet: the password of Facebook. To check it, press "Change an answer" '
        'below, then "My accounts\' passwords".'
    ) in end
    assert "Gmail" not in end.split("Not checked yet:")[1].split(".")[0]
