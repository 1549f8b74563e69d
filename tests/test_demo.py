"""`nutsec demo`: the trainer's walk-through runs the real engine, saves nothing, looks nothing up.

The made-up passwords are teaching material and are meant to be on screen (PRODUCT.md `demo`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pexpect
import pytest

from nutsec.audit.answers_file import check_against, read_answers_file
from nutsec.audit.outcomes import questions_for, score
from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.session import scripted_audit
from nutsec.breach.model import BreachStatus, OfflineSource
from nutsec.checklist.model import Checklist
from nutsec.cli.demo import END_PROMPT, FRAME_LINES, PAUSE_PROMPT, STOPPED_EARLY, Slides, paginate
from nutsec.demo.script import (
    PERSON_FILE,
    SCENES,
    SCRIPT_FILE,
    demo_checklist,
    load_demo_person,
    load_demo_script,
    read_package_file,
    shipped_demo,
)
from nutsec.errors import AnswersError, NutsecError
from nutsec.report.terminal_format import ReportPart, TerminalRenderer
from tests.loopback import running_range_server

NUTSEC = str(Path(sys.executable).parent / "nutsec")
DEMO_FOLDER = Path(__file__).resolve().parents[1] / "nutsec" / "demo"
#: The made-up teaching examples sam.toml uses, as the brief for the demo asks for them.
EXAMPLES = ("+w1TT3r", "Summer2024!", "Summer2025!", "harbour tulip stapler")
BOX_DRAWING = set("─│╭╮╰╯┌┐└┘━┃═║")


def _titles() -> list[str]:
    script = load_demo_script(read_package_file(SCRIPT_FILE), demo_checklist())
    return [f"Part {n} of {len(SCENES)}: {s.title}" for n, s in enumerate(script.scenes, start=1)]


def _engine_score() -> int:
    """The score of the demo person computed the way `nutsec audit --answers` computes it."""
    checklist = demo_checklist()
    answers = read_answers_file(DEMO_FOLDER / PERSON_FILE)
    check_against(answers, checklist)
    checker = PasswordChecker(OfflineSource("offline"))
    return score(scripted_audit(answers, checklist, checker, datetime.now(UTC))).overall


def _without(checklist: Checklist, item_id: str) -> Checklist:
    sections = tuple(
        replace(s, items=tuple(i for i in s.items if i.id != item_id)) for s in checklist.sections
    )
    return replace(checklist, sections=sections)


def _run_demo(data: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    environ = {**os.environ, "NUTSEC_DATA_DIR": str(data), **(env or {})}
    environ.pop("COLUMNS", None)
    done = subprocess.run(
        [NUTSEC, "demo", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stdout, done.stderr


# The data ---------------------------------------------------------------------------------------


def test_the_demo_person_validates_against_the_default_checklist() -> None:
    person = load_demo_person(read_package_file(PERSON_FILE), demo_checklist())
    assert person.answers.checklist == "nut-social-media"
    assert [e.text for e in person.examples] == [
        "harbour tulip stapler",
        "+w1TT3r",
        "Summer2024!",
        "Summer2025!",
    ], "the demo's made-up teaching examples changed"
    load_demo_script(read_package_file(SCRIPT_FILE), demo_checklist())


@pytest.mark.parametrize("item_id", ["device.remote-lock", "account.password-unique"])
def test_the_demo_fails_loudly_if_the_checklist_drops_an_item_it_uses(item_id: str) -> None:
    smaller = _without(demo_checklist(), item_id)
    with pytest.raises(AnswersError, match=f"unknown item '{item_id}'"):
        load_demo_person(read_package_file(PERSON_FILE), smaller)


def test_the_script_fails_loudly_if_the_checklist_drops_a_question_it_shows() -> None:
    smaller = _without(demo_checklist(), "passwords.long-passphrases")
    with pytest.raises(NutsecError) as caught:
        load_demo_script(read_package_file(SCRIPT_FILE), smaller)
    assert any("passwords.long-passphrases" in d for d in caught.value.details)


def test_the_demo_answers_every_question_the_checklist_asks_of_it() -> None:
    """A complete example: a new checklist item must be answered in sam.toml too."""
    person = load_demo_person(read_package_file(PERSON_FILE), demo_checklist())
    devices, accounts = person.answers.inventory()
    asked = {q.key for q in questions_for(person.checklist, devices, accounts)}
    missing = asked - set(person.answers.all_answers())
    person.answers.wipe_passwords()
    assert not missing, f"sam.toml does not answer: {sorted(missing)}"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("[scenes.reuse]", "'scenes.reuse' is missing"),
        ('title = "Welcome to nutsec"', "'scenes.welcome.title' must be non-empty text"),
        ("Here are three of Sam's answers.", "'scenes.questions.say' contains the control"),
    ],
)
def test_a_broken_script_names_its_problem(change: str, problem: str) -> None:
    text = read_package_file(SCRIPT_FILE)
    assert change in text
    broken = {
        "[scenes.reuse]": "[scenes.not-a-scene]",
        'title = "Welcome to nutsec"': 'title = ""',
        "Here are three of Sam's answers.": "Here are three of Sam's answers.\\u001b[2J",
    }[change]
    with pytest.raises(NutsecError) as caught:
        load_demo_script(text.replace(change, broken), demo_checklist())
    assert any(problem in d for d in caught.value.details), caught.value.details


def test_the_story_the_narration_tells_is_what_the_engine_finds() -> None:
    run = shipped_demo(datetime.now(UTC))
    found = run.audit.passwords
    assert found["Personal e-mail"].strength.rating == "strong"
    assert found["X (Twitter)"].strength.rating == "weak"  # the 2012 guidance's example
    # "Sam thought the Facebook password was used nowhere else": the fingerprints say otherwise.
    assert run.audit.answers[("account.password-unique", "Facebook")] == "yes"
    assert found["Facebook"].similar_to == ("Union portal",)
    assert found["Union portal"].similar_to == ("Facebook",)
    # Honest breach status: nothing was looked up, so nothing is counted as clean.
    assert {f.breach.status for f in found.values()} == {BreachStatus.UNKNOWN}
    assert {f.breach.reason for f in found.values()} == {"demo: offline"}
    assert run.score.overall == _engine_score()


def test_render_parts_shows_the_same_text_as_the_whole_report() -> None:
    report = shipped_demo(datetime.now(UTC)).report
    renderer = TerminalRenderer(plain=True)
    whole = renderer.render(report)
    for part in (ReportPart.SCORE, ReportPart.SECTIONS, ReportPart.ACTIONS, ReportPart.CARD):
        assert renderer.render_parts(report, [part]).strip("\n") in whole


# The command ------------------------------------------------------------------------------------


def test_demo_shows_every_scene_in_order_saves_nothing_and_looks_nothing_up(
    tmp_path: Path,
) -> None:
    data = tmp_path / "never-created"
    with running_range_server() as server:
        for password in EXAMPLES:  # a tempting server: it would "find" every example
            server.add_password(password, 1000)
        code, out, err = _run_demo(
            data, "--no-pause", "--plain", env={"NUTSEC_HIBP_URL": server.url}
        )
        requests = list(server.requests)
    assert code == 0, err
    assert requests == [], "the demo contacted the breach service"
    assert not data.exists(), "the demo created the data folder"
    positions = [out.find(title) for title in _titles()]
    assert -1 not in positions and positions == sorted(positions), positions
    for password in EXAMPLES:  # teaching material: meant to be on screen
        assert f"{password}   (a made-up teaching example)" in out, f"missing example {password!r}"
    assert f"Sam's score: {_engine_score()} out of 100" in out
    assert "Your score" not in out, "the demo speaks of Sam in the third person"
    assert "()" not in out, "no empty brackets"
    assert "\x1b[2J" not in out, "a handout is never cleared"
    assert "Not checked for known breaches (demo: offline)." in out
    assert "Not found in known data breaches" not in out
    assert "Found in known data breaches" not in out
    assert "Similar password to: Union portal" in out
    assert "Lost or stolen device: what to do, in order" in out
    assert "nutsec password check" in out.split(_titles()[-1])[1]
    assert not BOX_DRAWING & set(out)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert PAUSE_PROMPT.strip() not in out + err


def test_no_color_gives_the_same_plain_text_as_plain(tmp_path: Path) -> None:
    code, out, _ = _run_demo(tmp_path / "data", "--no-pause", env={"NO_COLOR": "1"})
    assert code == 0
    assert not BOX_DRAWING & set(out)
    assert "\x1b[" not in out
    assert _titles()[0] in out


def test_without_no_pause_a_piped_q_stops_the_demo_early_with_exit_0(tmp_path: Path) -> None:
    done = subprocess.run(
        [NUTSEC, "demo", "--plain"],
        input="\n\nq\n",
        capture_output=True,
        text=True,
        env={**os.environ, "NUTSEC_DATA_DIR": str(tmp_path / "data")},
        timeout=60,
    )
    titles = _titles()
    assert done.returncode == 0, done.stderr
    assert titles[2] in done.stdout and titles[3] not in done.stdout
    assert STOPPED_EARLY in done.stdout
    assert not (tmp_path / "data").exists()


# In a terminal ----------------------------------------------------------------------------------


def _spawn(data: Path, *, plain: bool = True) -> pexpect.spawn:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "TERM": "dumb" if plain else "xterm"}
    for name in ("NO_COLOR", "COLUMNS", "LINES"):
        env.pop(name, None)
    return pexpect.spawn(
        NUTSEC,
        ["demo", "--plain"] if plain else ["demo"],
        env=env,
        encoding="utf-8",
        dimensions=(40, 80),
        timeout=15,
    )


def test_in_a_terminal_each_pause_waits_for_enter_and_q_stops_with_exit_0(tmp_path: Path) -> None:
    titles = _titles()
    child = _spawn(tmp_path / "data")
    child.expect_exact(titles[0])
    child.expect_exact(PAUSE_PROMPT.strip())
    with pytest.raises(pexpect.TIMEOUT):  # nothing moves on until the trainer presses a key
        child.expect_exact(titles[1], timeout=1)
    child.send("\r")
    child.expect_exact(titles[1])
    child.expect_exact(PAUSE_PROMPT.strip())
    child.send("q")
    child.expect_exact(STOPPED_EARLY)
    rest = child.read()  # to the end
    child.close()
    assert titles[2] not in rest
    assert child.exitstatus == 0
    assert not (tmp_path / "data").exists()


def test_in_a_terminal_ctrl_c_at_a_pause_exits_130(tmp_path: Path) -> None:
    child = _spawn(tmp_path / "data")
    child.expect_exact(PAUSE_PROMPT.strip())
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not (tmp_path / "data").exists()


def test_in_a_terminal_the_passwords_part_shows_one_password_per_screen(tmp_path: Path) -> None:
    """73 lines at once scroll off a projector: each example waits for the trainer."""
    titles = _titles()
    child = _spawn(tmp_path / "data")
    for _ in range(3):  # parts 1 to 3
        child.expect_exact(PAUSE_PROMPT.strip())
        child.send(" ")
    child.expect_exact(f"{titles[3]} (1 of 4)")
    child.expect_exact(PAUSE_PROMPT.strip())
    shown = child.before
    assert sum(example in shown for example in EXAMPLES) == 1, "one example on the first screen"
    child.send(" ")
    child.expect_exact(f"{titles[3]} (2 of 4)")
    child.expect_exact(PAUSE_PROMPT.strip())
    child.send("q")
    child.expect_exact(STOPPED_EARLY)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


CLEAR = "\x1b[H\x1b[2J"
KEYS_FORWARD = {"Space": " ", "Enter": "\r", "Right": "\x1b[C", "PageDown": "\x1b[6~"}
KEYS_BACK = {"b": "b", "Left": "\x1b[D", "PageUp": "\x1b[5~"}


def _screen(child: pexpect.spawn) -> str:
    """What one page drew: from its clear-screen to its prompt (the prompt's line included)."""
    child.expect_exact(CLEAR)
    child.expect(f"({_re(PAUSE_PROMPT.strip())}|{_re(END_PROMPT.strip())})")
    return str(child.before) + str(child.after)


def _re(text: str) -> str:
    import re

    return re.escape(text)


@pytest.mark.parametrize("plain", [True, False], ids=["plain", "colour"])
def test_in_a_terminal_every_page_starts_on_a_cleared_screen_with_its_title_and_fits_80x40(
    tmp_path: Path, plain: bool
) -> None:
    titles = _titles()
    child = _spawn(tmp_path / "data", plain=plain)
    seen: list[str] = []
    while True:
        screen = _screen(child)
        lines = screen.replace("\r\n", "\n").split("\n")
        first = _visible(lines[0]).strip(" ─")
        assert first.startswith("Part "), f"a page starts with its title, not {first!r}"
        assert len(lines) <= 40, f"{first!r} has {len(lines)} lines: more than 80x40 shows"
        assert max(len(_visible(line)) for line in lines) <= 80
        seen.append(first)
        if END_PROMPT.strip() in screen:
            break
        child.send(" ")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    for title in titles:  # every part is shown, and its first page is its first
        pages = [s[len(title) :].strip() for s in seen if s.startswith(title)]
        assert pages, f"{title!r} was never shown"
        assert pages[0] in ("", f"(1 of {len(pages)})"), (title, pages)
    assert [s.split(":")[0] for s in seen] == sorted(
        (s.split(":")[0] for s in seen), key=lambda t: int(t.split()[1])
    )


def _visible(line: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)


@pytest.mark.parametrize("forward", KEYS_FORWARD)
@pytest.mark.parametrize("back", KEYS_BACK)
def test_in_a_terminal_back_keys_undo_forward_keys(tmp_path: Path, forward: str, back: str) -> None:
    """A double press can always be undone: b, Left and PageUp go back what Space, Enter,
    Right and PageDown went forward (in the audit, too, b means back)."""
    titles = _titles()
    child = _spawn(tmp_path / "data")
    assert _screen(child).startswith(titles[0])
    child.send(KEYS_FORWARD[forward])
    assert _screen(child).startswith(titles[1])
    child.send(KEYS_FORWARD[forward])
    assert _screen(child).startswith(titles[2])
    child.send(KEYS_BACK[back])
    assert _screen(child).startswith(titles[1])
    child.send("q")
    child.expect_exact(STOPPED_EARLY)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_in_a_terminal_a_stray_key_does_not_move_on(tmp_path: Path) -> None:
    titles = _titles()
    child = _spawn(tmp_path / "data")
    child.expect_exact(PAUSE_PROMPT.strip())
    child.send("x")
    with pytest.raises(pexpect.TIMEOUT):
        child.expect_exact(titles[1], timeout=1)
    child.send("q")
    child.expect_exact(STOPPED_EARLY)
    child.close()


def test_every_part_laid_out_at_80_columns_fits_40_lines_with_its_title_on_top() -> None:
    """The layout itself, without a terminal: each page, framed, is at most 40 lines."""
    import io

    from nutsec.cli.console import make_console

    run = shipped_demo(datetime.now(UTC))
    for plain in (True, False):
        console = make_console(plain)
        console.file = io.StringIO()
        console.width = 80
        slides = Slides(console, plain, run)
        for title, blocks in zip(slides.titles(), slides.parts(), strict=True):
            pages = paginate(blocks, 40 - FRAME_LINES)
            for page in pages:
                assert len(slides.heading(title)) + len(page) + 2 <= 40, title
                assert all(len(_visible(line)) <= 80 for line in page), title


def test_sams_devices_have_systems_so_the_card_shows_only_their_own_steps() -> None:
    """Issue 19: without systems, the card showed iPhone and Android, Windows and Mac."""
    run = shipped_demo(datetime.now(UTC))
    assert {d.name: d.system for d in run.audit.devices} == {
        "Sam's phone": "android",
        "Home laptop": "windows",
    }
    card = run.report.lost_device_card
    assert card is not None
    hints = [h for step in card.steps for h in step.hints]
    assert hints and all(h.startswith(("Android:", "Windows:")) for h in hints), hints


def test_sams_plan_starts_with_what_the_demo_shows_not_a_breach_check_it_never_made() -> None:
    run = shipped_demo(datetime.now(UTC))
    first = run.report.actions[:3]
    assert not any("breach" in a.headline.lower() for a in first), [a.headline for a in first]
    assert [a.item_id for a in first[:2]] == ["account.password-unique"] * 2  # part 5: reuse


def test_a_teaching_password_is_judged_knowing_what_sam_said_of_two_step_sign_in() -> None:
    """Sam said the personal e-mail asks for a second step: its check does not say to turn it
    on; X has none, so its check does."""
    from nutsec.advice import said_two_step_on
    from nutsec.demo.script import example_verdict

    run = shipped_demo(datetime.now(UTC))
    said = {
        e.account: said_two_step_on(run.audit.checklist, run.audit.answers, e.account)
        for e in run.examples
    }
    assert True in said.values() and False in said.values()
    for example in run.examples:
        verdict = example_verdict(run, example)
        assert verdict is not None
        two_step = any("two-step" in line for line in verdict.advice)
        assert two_step is not said[example.account], example.account
