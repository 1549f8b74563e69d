"""Issue 22, "Secrets shown from other fields", and two crash items: every secret a vault holds
(the KeePass master password, current and old passwords, protected and hidden custom fields) is
hidden wherever it appears in a shown field, in any Unicode form, spaced out or cut in pieces;
a field that is a secret as a whole is hidden, however short; a deeply nested or huge-number
Bitwarden file and a KeePass 1 file each get one plain line. Each test is named after the attack
it repeats; the KeePass and Bitwarden files are real ones, read by the installed `nutsec`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pykeepass import PyKeePass, create_database

from nutsec.exports.reader import KdbxKey, read_export
from nutsec.exports.redact import MASK, PasswordMask, normal_form
from nutsec.secret import Secret
from tests.export_samples import Login, write_export

SCRIPT = Path(sys.executable).with_name("nutsec")
MASTER = "Zebra-Quantum-4419"
UNRELATED = "Unrelated#PW12"


def run_nutsec(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("NUTSEC_HIBP_URL", None)
    return subprocess.run(
        [str(SCRIPT), *args], input=stdin, capture_output=True, timeout=120, check=False, env=env
    )


def new_database(path: Path, password: str = MASTER) -> PyKeePass:
    """An empty KDBX 4 database with a cheap Argon2 setting (the format is the real one)."""
    db = create_database(io.BytesIO(), password=password)
    kdf = db.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    kdf.I.value, kdf.M.value = 2, 1024 * 1024
    out = io.BytesIO()
    db.save(out)
    db = PyKeePass(io.BytesIO(out.getvalue()), password=password)
    db.filename = str(path)
    return db


def audit_json(path: Path, master: str = MASTER) -> tuple[dict[str, object], str]:
    """The JSON audit of a database by the installed nutsec, and everything it printed."""
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline", "--format", "json",
        stdin=master.encode() + b"\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()[-300:]
    return json.loads(result.stdout), result.stdout.decode() + result.stderr.decode()


def assert_not_shown(text: str, secret: str) -> None:
    """No run of 4 characters of `secret`, in any form nutsec compares, in `text`."""
    # The JSON is ASCII with \u escapes: read them back, so an escaped copy counts as shown.
    # Spaces are kept here: the pages' own sentences run words together once they are gone.
    plain = text.encode("ascii", "backslashreplace").decode("unicode_escape")
    shown = unicodedata.normalize("NFKC", plain).casefold()
    secret_form = normal_form(secret)
    pieces = {secret_form[i : i + 4] for i in range(len(secret_form) - 3)}
    found = [p for p in pieces if p in shown]
    at = [shown[max(0, shown.find(p) - 30) : shown.find(p) + 30] for p in found]
    assert not found, f"{len(found)} pieces of a secret are shown {at}"


def test_the_keepass_master_password_is_hidden_in_title_username_url_and_folder(
    tmp_path: Path,
) -> None:
    """The attack as written: the master password in an entry's title, and the other fields."""
    path = tmp_path / "m.kdbx"
    db = new_database(path)
    db.add_entry(db.root_group, f"vault pw {MASTER}", "u", UNRELATED)
    group = db.add_group(db.root_group, f"Safe {MASTER}")
    db.add_entry(group, "Mail", f"sam {MASTER.lower()}", "Mq#83kLp!vZ2x",
                 url=f"https://mail.example/{MASTER}")  # fmt: skip
    db.save()
    data, shown = audit_json(path)
    assert_not_shown(shown, MASTER)
    entries = {e["name"]: e for e in data["entries"]}  # type: ignore[attr-defined]
    assert entries["vault pw ***"]["hidden"] == [
        "Title partly hidden: it holds part of the master password."
    ]
    mail = entries["Mail"]
    assert mail["folder"] == "Safe ***" and mail["username"] == "sam ***"
    assert mail["hidden"] == [
        "Username, address and folder partly hidden: they hold part of the master password."
    ]


def test_keepass_history_passwords_and_protected_fields_are_hidden_in_another_entrys_title(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.kdbx"
    db = new_database(path)
    entry = db.add_entry(db.root_group, "Bank", "sam", "OldBank#Pw2024")
    entry.save_history()
    entry.password = "Fresh#Vault-77x"
    entry.set_custom_property("PIN", "Pin#Kept-8841", protect=True)
    entry.set_custom_property("Colour", "plain words", protect=False)
    db.add_entry(db.root_group, "notes: OldBank#Pw2024", "x", "Aq#73mLp!zK9w")
    db.add_entry(db.root_group, "pin is Pin#Kept-8841", "plain words", "Bq#73mLp!zK9w")
    db.save()
    data, shown = audit_json(path)
    assert_not_shown(shown, "OldBank#Pw2024")
    assert_not_shown(shown, "Pin#Kept-8841")
    by_line = {e["line"]: e for e in data["entries"]}  # type: ignore[attr-defined]
    assert by_line[2]["hidden"] == ["Title partly hidden: it holds part of an old password."]
    assert by_line[3]["hidden"] == ["Title partly hidden: it holds part of a hidden field."]
    assert by_line[3]["username"] == "plain words"  # a field that is not protected is no secret


def _bitwarden(items: list[dict[str, object]]) -> bytes:
    return json.dumps({"encrypted": False, "folders": [], "items": items}).encode()


def _item(name: str, password: str, **extra: object) -> dict[str, object]:
    return {"type": 1, "name": name, "login": {"username": "sam", "password": password,
            "uris": []}, **extra}  # fmt: skip


def test_bitwarden_password_history_and_hidden_fields_are_hidden_in_another_items_name(
    tmp_path: Path,
) -> None:
    """The attack as written: `passwordHistory` and an item named `notes: OldHist0ry#Pw`."""
    path = tmp_path / "bw.json"
    items = [
        _item("Mail", "Cur#Pw-73mLpz", passwordHistory=[{"password": "OldHist0ry#Pw"}],
              fields=[{"name": "PIN", "value": "Hq#Vzk-5520x", "type": 1},
                      {"name": "Shown", "value": "visible words", "type": 0}]),
        _item("notes: OldHist0ry#Pw", "Aq#73mLp!zK9w"),
        _item("Hq#Vzk-5520x", "Bq#73mLp!zK9w"),
        _item("visible words", "Cq#73mLp!zK9w"),
        # a secure note's hidden field is a secret too, though the note is not checked
        {"type": 2, "name": "Door", "secureNote": {"type": 0},
         "fields": [{"name": "code", "value": "Door#Code-0451", "type": 1}]},
        _item("keypad: Door#Code-0451", "Dq#73mLp!zK9w"),
    ]  # fmt: skip
    path.write_bytes(_bitwarden(items))
    result = run_nutsec("passwords", "audit", str(path), "--offline", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()[-300:]
    # The test's folder is named after it ("..._history0"): not part of what is checked.
    shown = (result.stdout.decode() + result.stderr.decode()).replace(str(tmp_path), "")
    for secret in ("OldHist0ry#Pw", "Hq#Vzk-5520x", "Door#Code-0451"):
        assert_not_shown(shown, secret)
    data = json.loads(result.stdout)
    names = [e["name"] for e in data["entries"]]
    assert names == ["Mail", "notes: ***", MASK, "visible words", "keypad: ***"]
    assert data["entries"][2]["hidden"] == ["Title hidden: it is a hidden field."]
    assert data["summary"]["skipped"] == 1  # the note, counted as before


@pytest.mark.parametrize("password", ["abc", "7", "x#"])
def test_a_password_of_3_characters_or_fewer_used_as_a_title_or_username_is_hidden(
    password: str, tmp_path: Path
) -> None:
    export = write_export(
        tmp_path / "e.csv", "bitwarden",
        [Login(password, "https://a.example", password, password),
         Login("Other", "https://b.example", f" {password.upper()} ", "Lq#73mLp!zK9w")],
        extras=False,
    )  # fmt: skip
    entries = read_export(export).entries
    assert [(e.name, e.username) for e in entries] == [(MASK, MASK), ("Other", MASK)]
    assert entries[0].hidden == ("Title and username hidden: they are this login's password.",)
    assert entries[1].hidden == ("Username hidden: it is another login's password.",)
    # An ordinary short word that is nobody's password stays.
    assert PasswordMask([password]).hide("abd") == "abd"


SECRET = "Zebra-Quantum-4419"
DISGUISES = {
    "nfd": unicodedata.normalize("NFD", "Zébra-Quäntum-4419"),
    "full-width": "Ｚｅｂｒａ－Ｑｕａｎｔｕｍ－４４１９",
    "zero-width spaces": "Z\u200be\u200bb\u200br\u200ba-Quantum-4419",
    "soft hyphens": "Ze\u00adbra\u00ad-Quan\u00adtum-44\u00ad19",
    "spaced out": "Z e b r a - Q u a n t u m - 4 4 1 9",
    "3-character pieces": "Zeb raQ uan tum",
    "3-character pieces with dashes": "Zeb|ra-|Qua|ntu|m-4|419",
    "upper case": "ZEBRA-QUANTUM-4419",
}


@pytest.mark.parametrize("disguise", sorted(DISGUISES))
def test_disguised_copies_of_a_password_in_another_field_are_hidden(disguise: str) -> None:
    secret = unicodedata.normalize("NFC", "Zébra-Quäntum-4419") if disguise == "nfd" else SECRET
    copy = DISGUISES[disguise]
    mask = PasswordMask([secret])
    shown = mask.explain(f"wifi {copy} (home)")
    assert shown.text == "wifi *** (home)", disguise
    assert shown.kinds == ("password",)


def test_a_whole_field_equal_to_a_secret_of_any_length_is_hidden() -> None:
    mask = PasswordMask()
    mask.add("ok", "old")
    mask.add("Long-Enough#Pw", "hidden")
    assert mask.explain("OK").text == MASK and mask.explain("OK").equal
    assert mask.explain(" o\u200bk ").text == MASK
    assert mask.explain("long enough#pw").text == MASK
    assert mask.explain("ok then").text == "ok then"  # 2 characters inside words are not hidden


def test_bitwarden_json_nested_100000_deep_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"items": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    result = run_nutsec("passwords", "audit", str(path), "--offline")
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b"", err[-300:]
    assert err.count("\n") == 1 and "Traceback" not in err and "nested" in err


def test_bitwarden_json_holding_a_5000_digit_number_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    item = '{"type": 1, "name": "x", "reprompt": ' + "9" * 5000 + ', "login": {}}'
    path.write_text('{"items": [' + item + "]}", encoding="utf-8")
    result = run_nutsec("passwords", "audit", str(path), "--offline")
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b"", err[-300:]
    assert err.count("\n") == 1 and "Traceback" not in err and "digits long" in err


def test_a_keepass_1_kdb_file_gets_advice_for_keepass_1(tmp_path: Path) -> None:
    path = tmp_path / "Old.kdb"
    # A KeePass 1 header: its signature, flags, version, then random-looking bytes.
    path.write_bytes(b"\x03\xd9\xa2\x9a\x65\xfb\x4b\xb5\x03\x00\x00\x00\x04\x00\x03\x00" +
                     bytes(range(256)) * 4)  # fmt: skip
    result = run_nutsec("passwords", "audit", str(path), "--offline")
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b""
    assert err.count("\n") == 1 and "UTF-8" not in err
    assert "KeePass 1" in err and ".kdbx" in err and "CSV" in err


def test_the_master_password_is_hidden_when_read_without_the_command(tmp_path: Path) -> None:
    """The reader itself hides it (the JSON, terminal and HTML pages all start from here)."""
    path = tmp_path / "r.kdbx"
    db = new_database(path)
    db.add_entry(db.root_group, MASTER, "sam", "Rq#73mLp!zK9w")
    db.save()
    export = read_export(path, unlock=lambda: KdbxKey(Secret(MASTER)))
    assert [(e.name, e.hidden) for e in export.entries] == [
        (MASK, ("Title hidden: it is the master password.",))
    ]
    export.wipe()


def test_every_format_character_of_this_python_is_dropped_before_comparing() -> None:
    """The table of format characters in redact.py covers Python's own (Unicode category Cf)."""
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf" and normal_form(f"a{chr(code)}b") != "ab"
    ]
    assert not missed, missed
