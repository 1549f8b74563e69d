"""Format 2 of the checklist file: applies_to, per-system and per-platform steps, action, minutes.

Every new key is read into the model when it is right, and reported with the file, the line and
the item when it is wrong; a format 1 file keeps loading as it did.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.audit_data import PLATFORMS
from nutsec.checklist.loader import check_checklist, load_checklist
from nutsec.checklist.model import ACCOUNT_PLATFORMS, Item, Scope
from nutsec.cli import app
from tests.test_checklist_loader import checklist, item

WriteFile = Callable[[str, str], Path]

runner = CliRunner()


def device_item(*extra: str, **overrides: str) -> str:
    return item(**{"id": '"device.lock"', "scope": '"device"', **overrides}) + "".join(
        line + "\n" for line in extra
    )


def account_item(*extra: str, **overrides: str) -> str:
    return item(**{"id": '"account.two-step"', "scope": '"account"', **overrides}) + "".join(
        line + "\n" for line in extra
    )


def load_one(write_file: WriteFile, text: str) -> Item:
    loaded = load_checklist(write_file("c.toml", text))
    return loaded.sections[0].items[0]


def only_problem(write_file: WriteFile, text: str) -> tuple[str, int]:
    """The one problem's text, and the line of the file it names."""
    path = write_file("c.toml", text)
    result, problems = check_checklist(path)
    assert result is None and len(problems) == 1, [str(p) for p in problems]
    assert problems[0].line is not None, str(problems[0])
    return str(problems[0]), problems[0].line


def line_of(text: str, start: str) -> int:
    [number] = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start)]
    return number


# --- a format 1 file is read as before ---------------------------------------------------------


def test_a_format_1_file_still_loads_with_no_format_2_fields(write_file: WriteFile) -> None:
    text = checklist(item(), device_item(device_kinds='["laptop"]'))
    loaded = load_checklist(write_file("c.toml", text))
    assert loaded.format == 1
    person, device = loaded.sections[0].items
    assert (person.applies_to, person.fix_variants, person.why_variants) == ((), (), ())
    assert (person.action, person.minutes) == ("", None)
    assert device.device_kinds == ("laptop",) and device.applies_to_device("laptop")
    assert not device.applies_to_device("phone")
    # with no action, the action plan shows the question
    assert person.action_text == "Q?"


def test_the_format_marker_is_read(write_file: WriteFile) -> None:
    text = checklist(item()).replace('version = "1"\n', 'version = "1"\nformat = 2\n')
    assert load_checklist(write_file("c.toml", text)).format == 2


@pytest.mark.parametrize("value", ["4", '"2"', "2.0", "true", "0"])
def test_a_format_this_nutsec_cannot_read_is_reported_with_its_line(
    write_file: WriteFile, value: str
) -> None:
    text = checklist(item()).replace('version = "1"\n', f'version = "1"\nformat = {value}\n')
    problem, line = only_problem(write_file, text)
    assert line == 4 and "checklist:" in problem
    assert "reads formats 1, 2 and 3" in problem


# --- the new keys, read into the model ----------------------------------------------------------


def test_format_2_keys_fill_the_model(write_file: WriteFile) -> None:
    text = checklist(
        device_item(
            'applies_to = ["laptop", "desktop"]',
            'action = "Turn on disk encryption"',
            "minutes = 15",
            'fix_for.windows = "Settings > Privacy & security > Device encryption."',
            'fix_for.macos = "System Settings > Privacy & Security > FileVault."',
            'why_for.macos = "A Mac without FileVault can be read by anyone."',
        )
    )
    loaded = load_one(write_file, text)
    assert loaded.applies_to == ("laptop", "desktop")
    assert loaded.action == loaded.action_text == "Turn on disk encryption"
    assert loaded.minutes == 15
    assert loaded.fix_variants == (
        ("windows", "Settings > Privacy & security > Device encryption."),
        ("macos", "System Settings > Privacy & Security > FileVault."),
    )
    assert loaded.why_variants == (("macos", "A Mac without FileVault can be read by anyone."),)


INLINE = 'fix_for = { ios = "Settings > Face ID & Passcode.", android = "Settings > Security." }'
DOTTED = 'fix_for.ios = "Settings > Face ID & Passcode."\nfix_for.android = "Settings > Security."'
SUBTABLE = (
    "[sections.items.fix_for]\n"
    'ios = "Settings > Face ID & Passcode."\nandroid = "Settings > Security."'
)


@pytest.mark.parametrize("shape", [INLINE, DOTTED, SUBTABLE], ids=["inline", "dotted", "table"])
def test_variants_read_the_same_in_every_toml_shape(write_file: WriteFile, shape: str) -> None:
    loaded = load_one(write_file, checklist(device_item(shape)))
    assert dict(loaded.fix_variants) == {
        "ios": "Settings > Face ID & Passcode.",
        "android": "Settings > Security.",
    }


def test_account_items_take_platforms_and_providers(write_file: WriteFile) -> None:
    text = checklist(
        account_item(
            'applies_to = ["email"]',
            'fix_for.gmail = "myaccount.google.com > Security."',
            'fix_for.work = "Ask your IT contact."',
            'fix_for.twitter = "Settings and privacy > Security."',
        )
    )
    loaded = load_one(write_file, text)
    assert loaded.applies_to == ("email",)
    assert [key for key, _ in loaded.fix_variants] == ["gmail", "work", "twitter"]


def test_variant_keys_and_applies_to_are_read_case_insensitively(write_file: WriteFile) -> None:
    text = checklist(device_item('applies_to = ["Laptop"]', 'fix_for.macOS = "FileVault."'))
    loaded = load_one(write_file, text)
    assert loaded.applies_to == ("laptop",) and loaded.fix_variants == (("macos", "FileVault."),)


# --- the new keys, wrong: file, line and item ---------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('applies_to = ["toaster"]', "unknown device kind or system 'toaster' in 'applies_to'"),
        ('applies_to = ["windows", "symbian"]', "unknown device kind or system 'symbian'"),
        ('applies_to = ["gmail"]', "unknown device kind or system 'gmail'"),
        ('applies_to = "laptop"', "'applies_to' must be a list of text"),
        ("applies_to = []", "'applies_to' must be a list of text"),
        ('action = ""', "'action' is empty"),
        ("action = 5", "'action' must be text"),
        ('action = "' + "Turn on " * 10 + '"', "'action' must be one short line"),
        ('action = """Turn on\na lock"""', "'action' must be one short line"),
        ('action = "Lock {device}"', "may name its device or account only as {subject}"),
        ("minutes = 0", "'minutes' must be a whole number from 1 to 480, not 0"),
        ("minutes = -5", "'minutes' must be a whole number from 1 to 480"),
        ("minutes = 2.5", "'minutes' must be a whole number from 1 to 480"),
        ('minutes = "5"', "'minutes' must be a whole number from 1 to 480"),
        ("minutes = true", "'minutes' must be a whole number from 1 to 480"),
        ("minutes = 481", "'minutes' must be a whole number from 1 to 480"),
        ('fix_for = "Settings"', "'fix_for' must be a table of text"),
        ("fix_for = {}", "'fix_for' must be a table of text"),
        ("why_for.ios = 3", "'why_for.ios' must be text, and not empty"),
        ('why_for.ios = "  "', "'why_for.ios' must be text, and not empty"),
        ('fix_for.ios = "Press \\u001b[2J here"', "'fix_for.ios' contains the control character"),
    ],
)
def test_a_bad_format_2_key_on_a_device_item_is_reported_at_its_line(
    write_file: WriteFile, extra: str, message: str
) -> None:
    text = checklist(device_item(extra))
    problem, line = only_problem(write_file, text)
    assert "c.toml:" in problem and "item 'device.lock':" in problem
    assert message in problem
    assert line == line_of(text, extra.split("=")[0].strip())


@pytest.mark.parametrize("shape", ["dotted", "inline", "table"])
@pytest.mark.parametrize("table", ["fix_for", "why_for"])
def test_an_unknown_system_as_a_variant_key_is_reported_at_its_line(
    write_file: WriteFile, shape: str, table: str
) -> None:
    good = "Settings > Security."
    written = {
        "dotted": f'{table}.ios = "{good}"\n{table}.blackberry = "{good}"',
        "inline": f'{table} = {{ ios = "{good}", blackberry = "{good}" }}',
        "table": f'[sections.items.{table}]\nios = "{good}"\nblackberry = "{good}"',
    }[shape]
    # a second item after it, so the line must be found inside the right item
    text = checklist(device_item(written), device_item(id='"device.other"'))
    problem, line = only_problem(write_file, text)
    assert f"unknown device kind or system 'blackberry' in '{table}'" in problem
    assert "item 'device.lock'" in problem and "ios, android, windows, macos" in problem
    wanted = next(
        n for n, text_line in enumerate(text.splitlines(), 1) if "blackberry" in text_line
    )
    assert line == wanted


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('applies_to = ["myspace"]', "unknown account platform or e-mail provider 'myspace'"),
        ('applies_to = ["laptop"]', "unknown account platform or e-mail provider 'laptop'"),
        ('fix_for.aol = "Settings."', "unknown account platform or e-mail provider 'aol'"),
        ('why_for.ios = "Settings."', "unknown account platform or e-mail provider 'ios'"),
    ],
)
def test_an_unknown_platform_or_provider_on_an_account_item_is_reported(
    write_file: WriteFile, extra: str, message: str
) -> None:
    text = checklist(account_item(extra))
    problem, line = only_problem(write_file, text)
    assert message in problem and "item 'account.two-step'" in problem
    assert "email, twitter" in problem and "gmail, outlook, icloud, yahoo" in problem
    assert line == line_of(text, extra.split("=")[0].strip())


@pytest.mark.parametrize(
    "extra", ['applies_to = ["laptop"]', 'fix_for.ios = "Settings."', 'why_for.gmail = "Mail."']
)
def test_subject_keys_on_a_person_item_are_reported(write_file: WriteFile, extra: str) -> None:
    text = checklist(item() + extra + "\n")
    problem, line = only_problem(write_file, text)
    assert "only applies to device and account items" in problem and "item 'a.one'" in problem
    assert line == line_of(text, extra.split("=")[0].split(".")[0].strip())


def test_every_format_2_problem_is_reported_at_once(write_file: WriteFile) -> None:
    text = checklist(
        device_item('applies_to = ["fridge"]', "minutes = 0", 'fix_for.palm = "x"'),
        account_item('applies_to = ["bebo"]', 'action = ""'),
    )
    path = write_file("c.toml", text)
    _, problems = check_checklist(path)
    assert len(problems) == 5
    assert {p.where for p in problems} == {"item 'device.lock'", "item 'account.two-step'"}


def test_cli_validate_rejects_an_unknown_system(write_file: WriteFile) -> None:
    text = checklist(device_item('applies_to = ["phone"]', 'fix_for.windoze = "Settings."'))
    path = write_file("c.toml", text)
    result = runner.invoke(app, ["checklist", "validate", str(path)])
    assert result.exit_code == 2
    line = line_of(text, "fix_for.windoze")
    assert f"c.toml:{line}: item 'device.lock': unknown device kind or system 'windoze'" in (
        result.output
    )
    assert "Traceback" not in result.output


# --- behaviour of the model ---------------------------------------------------------------------


def make_item(scope: Scope, **fields: object) -> Item:
    from nutsec.checklist.model import AnswerOption, AnswerStatus, Severity

    base: dict[str, object] = {
        "id": "x.y",
        "scope": scope,
        "question": "Q?",
        "why": "Generic why.",
        "fix": "Generic fix.",
        "source": "",
        "severity": Severity.HIGH,
        "weight": 3,
        "answers": (AnswerOption("yes", "Yes", AnswerStatus.PASS),),
        "section_id": "x",
    }
    base.update(fields)
    return Item(**base)  # type: ignore[arg-type]


def test_fix_for_picks_the_most_specific_variant_and_falls_back_to_the_generic_text() -> None:
    lock = make_item(
        Scope.DEVICE,
        fix_variants=(("ios", "iPhone steps."), ("phone", "Phone steps.")),
        why_variants=(("android", "Android reason."),),
    )
    assert lock.fix_for("ios", "phone") == "iPhone steps."
    assert lock.fix_for("android", "phone") == "Phone steps."
    assert lock.fix_for("windows", "laptop") == "Generic fix."
    assert lock.fix_for() == "Generic fix."
    assert lock.fix_for("", "phone") == "Phone steps."
    assert lock.why_for("android", "phone") == "Android reason."
    assert lock.why_for("ios", "phone") == "Generic why."


def test_applies_to_device_combines_kinds_and_systems_and_never_drops_an_unknown_system() -> None:
    computers = make_item(Scope.DEVICE, applies_to=("laptop", "desktop"))
    assert computers.applies_to_device("laptop", "windows")
    assert not computers.applies_to_device("phone", "ios")
    not_chromebooks = make_item(
        Scope.DEVICE, applies_to=("laptop", "desktop", "windows", "macos", "linux")
    )
    assert not_chromebooks.applies_to_device("laptop", "macos")
    assert not not_chromebooks.applies_to_device("laptop", "chromeos")
    assert not not_chromebooks.applies_to_device("phone", "android")
    # an old audit's device, or "other": every question, so nothing is silently left out
    assert not_chromebooks.applies_to_device("desktop")
    assert not_chromebooks.applies_to_device("laptop", "other")
    assert make_item(Scope.DEVICE).applies_to_device("tablet", "android")


def test_applies_to_account_matches_platform_or_provider() -> None:
    email = make_item(Scope.ACCOUNT, applies_to=("email",))
    assert email.applies_to_account("Email", "gmail") and email.applies_to_account("email")
    assert not email.applies_to_account("twitter")
    gmail = make_item(Scope.ACCOUNT, applies_to=("gmail",))
    assert gmail.applies_to_account("email", "gmail")
    assert not gmail.applies_to_account("email", "outlook")
    assert not gmail.applies_to_account("facebook")
    # an e-mail account whose provider nobody asked about is not dropped by a provider filter
    assert gmail.applies_to_account("email") and gmail.applies_to_account("email", "other")
    work = make_item(Scope.ACCOUNT, applies_to=("work",))
    assert work.applies_to_account("work") and work.applies_to_account("email", "work")
    assert not work.applies_to_account("email", "gmail")


def test_the_audit_offers_exactly_the_platforms_the_checklist_model_knows() -> None:
    assert tuple(PLATFORMS) == ACCOUNT_PLATFORMS


# --- show ---------------------------------------------------------------------------------------


def test_show_json_adds_the_format_2_fields_and_keeps_the_product_shape(
    write_file: WriteFile,
) -> None:
    text = checklist(
        device_item(
            'applies_to = ["phone"]',
            'action = "Turn on a screen lock"',
            "minutes = 3",
            'fix_for.ios = "Settings > Face ID & Passcode."',
            'why_for.android = "Android reason."',
        )
    )
    path = write_file("c.toml", text)
    result = runner.invoke(app, ["checklist", "show", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert {"id", "title", "version", "sections"} <= set(shown) and shown["format"] == 1
    [entry] = shown["sections"][0]["items"]
    assert {"id", "scope", "question", "severity", "weight", "answers"} <= set(entry)
    assert entry["applies_to"] == ["phone"]
    assert entry["fix_for"] == {"ios": "Settings > Face ID & Passcode."}
    assert entry["why_for"] == {"android": "Android reason."}
    assert (entry["action"], entry["minutes"]) == ("Turn on a screen lock", 3)


def test_show_text_names_each_system_with_its_own_steps(write_file: WriteFile) -> None:
    text = checklist(
        device_item(
            'applies_to = ["phone"]',
            'action = "Turn on a screen lock"',
            "minutes = 3",
            'fix_for.ios = "Settings > Face ID & Passcode."',
            'fix_for.android = "Settings > Security > Screen lock."',
        )
    )
    path = write_file("c.toml", text)
    result = runner.invoke(app, ["checklist", "show", str(path), "--plain"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "about 3 min" in flat and "Only for: phones" in flat
    assert "Action: Turn on a screen lock" in flat
    assert "What to do (in general): Do it." in flat
    assert "What to do, iPhone or iPad: Settings > Face ID & Passcode." in flat
    assert "What to do, Android: Settings > Security > Screen lock." in flat
