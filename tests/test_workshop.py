"""`nutsec workshop summary`: a group picture that counts what the audits say and names no one."""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nutsec.checklist.catalog import DEFAULT_CHECKLIST, ChecklistCatalog, shipped_dir
from nutsec.checklist.model import Checklist, Scope
from nutsec.share.code import decode, encode
from nutsec.workshop.formats import SummaryFormat
from tests.printing import CHROMIUM, POPPLER, print_pdf
from tests.workshop_cli import run_nutsec as _nutsec

#: Worst first, as docs/share-codes.md orders outcomes (None: not asked).
WORST = ("fail", "partial", "unknown", "skipped", "pass", "not_applicable", None)
COUNT_OF = {
    "fail": "not_done",
    "partial": "partly",
    "unknown": "not_checked",
    "skipped": "not_checked",
    "pass": "done",
    "not_applicable": "not_asked",
    None: "not_asked",
}


def _checklist() -> Checklist:
    return ChecklistCatalog([(shipped_dir(), True)]).load(DEFAULT_CHECKLIST)


def _toml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def _person(number: int, checklist: Checklist) -> tuple[str, list[str]]:
    """An answers file for a made-up rep, and every name (and password) in it."""
    rng = random.Random(number)
    devices = [
        (f"Zebedee{number} phone", "phone", "android"),
        (f"Tamsin{number} laptop", "laptop", "windows"),
    ]
    accounts = [
        (f"Quokka{number} mail", "email", f"quokka{number}_login", "gmail"),
        (f"Kestrel{number} social", "twitter", f"kestrel{number}_handle", ""),
    ]
    passwords = [f"Pelican{number}Harbour!", f"Pelican{number}Harbour!"] if number % 2 else []
    names = [d[0] for d in devices] + [a[0] for a in accounts] + [a[2] for a in accounts]
    names += passwords
    lines = [f'checklist = "{checklist.id}"', "", "[answers]"]
    for item in checklist.items():
        if item.scope is Scope.PERSON and rng.random() < 0.9:
            lines.append(f"{_toml(item.id)} = {_toml(rng.choice(item.answer_keys))}")
    for name, kind, _system in devices[: 1 + number % 2]:
        lines += [
            "",
            "[[devices]]",
            f"name = {_toml(name)}",
            f'kind = "{kind}"',
        ]
        lines.append("[devices.answers]")
        for item in checklist.items():
            if item.scope is Scope.DEVICE and item.applies_to_device(kind):
                lines.append(f"{_toml(item.id)} = {_toml(rng.choice(item.answer_keys))}")
    for index, (name, platform, username, _provider) in enumerate(accounts):
        lines += ["", "[[accounts]]", f"name = {_toml(name)}", f'platform = "{platform}"']
        lines.append(f"username = {_toml(username)}")
        # (system and provider are left out: the answers file reads them from schema v4 on)
        if passwords:
            lines.append(f"password = {_toml(passwords[index])}")
        lines.append("[accounts.answers]")
        for item in checklist.items():
            if item.scope is Scope.ACCOUNT and item.applies_to_account(platform):
                lines.append(f"{_toml(item.id)} = {_toml(rng.choice(item.answer_keys))}")
    return "\n".join(lines) + "\n", names


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Six reps, each audited (scripted, offline), each shared; their reports for the truth."""
    checklist = _checklist()
    folder = tmp_path_factory.mktemp("group")
    codes, reports, names, shares = [], [], [], []
    for number in range(6):
        data = folder / f"rep{number}"
        text, person_names = _person(number, checklist)
        answers = folder / f"rep{number}.toml"
        answers.write_text(text, encoding="utf-8")
        audit = _nutsec("audit", "--answers", str(answers), "--offline", data=data)
        assert audit.returncode == 0, audit.stderr
        shared = _nutsec("share", "--plain", data=data)
        assert shared.returncode == 0, shared.stderr
        report = _nutsec("report", "latest", "--format", "json", data=data)
        assert report.returncode == 0, report.stderr
        codes.append(shared.stdout.strip())
        shares.append(shared.stdout + shared.stderr)
        reports.append(json.loads(report.stdout))
        names += person_names
    return {"codes": codes, "reports": reports, "names": names, "shares": shares, "folder": folder}


def _codes_file(path: Path, codes: list[str], extra: str = "") -> Path:
    path.write_text("# Tuesday's workshop\n\n" + "\n".join(codes) + "\n" + extra, encoding="utf-8")
    return path


def _expected(reports: list[dict[str, Any]]) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """From the reports alone: per item, how many people have each worst outcome; the bands."""
    per_item: dict[str, Counter[str]] = {}
    ids = [i.id for i in _checklist().items()]
    ids += ["password.strength", "password.reused", "password.breached"]
    for report in reports:
        statuses: dict[str, set[str]] = {}
        for item in report["items"]:
            statuses.setdefault(item["id"], set()).add(item["status"])
        for item_id in ids:
            found = statuses.get(item_id, set())
            worst = next(s for s in WORST if s is None or s in found)
            per_item.setdefault(item_id, Counter())[COUNT_OF[worst]] += 1
    bands = Counter(report["score"]["band"] for report in reports)
    return per_item, bands


def test_six_shared_audits_summarise_to_the_counts_their_reports_give(
    group: dict[str, Any],
    tmp_path: Path,
) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"])
    done = _nutsec("workshop", "summary", str(codes_file), "--format", "json", data=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["schema"] == "nutsec.workshop/1"
    assert summary["people"] == 6
    per_item, bands = _expected(group["reports"])
    assert {b["band"]: b["people"] for b in summary["bands"] if b["people"]} == dict(bands)
    assert len(summary["items"]) == len(per_item)
    for item in summary["items"]:
        counts = {k: item[k] for k in ("not_done", "partly", "not_checked", "done", "not_asked")}
        assert counts == {k: per_item[item["id"]][k] for k in counts}, item["id"]
    # The talking points: the most severe items first, then those most people have to work on.
    ranks = ["critical", "high", "medium", "low"]

    def order(i: dict[str, Any]) -> tuple[int, float]:
        answered = i["not_done"] + i["partly"] + i["done"]
        share = (i["not_done"] + i["partly"] / 2) / answered if answered else 0
        return (ranks.index(i["severity"]), -share)

    keys = [order(t) for t in summary["top"]]
    assert keys == sorted(keys) and len(summary["top"]) == 5
    left_out = [
        order(i)
        for i in summary["items"]
        if i["id"] not in {t["id"] for t in summary["top"]} and i["not_done"] + i["partly"]
    ]
    assert all(keys[-1] <= other for other in left_out)
    assert all(t["why"] and t["fix"] for t in summary["top"])


@pytest.mark.parametrize("format", list(SummaryFormat))
def test_no_name_from_any_audit_appears_in_any_output(
    group: dict[str, Any],
    tmp_path: Path,
    format: SummaryFormat,
) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"])
    done = _nutsec(
        "workshop",
        "summary",
        str(codes_file),
        "--format",
        format.value,
        "--compare",
        str(codes_file),
        data=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    outputs = done.stdout + done.stderr + "".join(group["shares"]) + "".join(group["codes"])
    for name in group["names"]:
        assert name not in outputs, f"{name!r} leaked"
        assert name.casefold() not in outputs.casefold()


def test_four_codes_are_refused_kindly(group: dict[str, Any], tmp_path: Path) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"][:4])
    done = _nutsec("workshop", "summary", str(codes_file), data=tmp_path)
    assert done.returncode == 2
    assert "4 different audits" in done.stderr and "at least 5" in done.stderr
    assert "picked out" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    lowered = _nutsec("workshop", "summary", str(codes_file), "--min-group", "4", data=tmp_path)
    assert lowered.returncode == 0, lowered.stderr
    assert "4 people took part" in lowered.stdout


@pytest.mark.parametrize("size", ["2", "0", "-1"])
def test_min_group_is_never_below_3(group: dict[str, Any], tmp_path: Path, size: str) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"])
    done = _nutsec("workshop", "summary", str(codes_file), "--min-group", size, data=tmp_path)
    assert done.returncode == 2
    assert "cannot be below 3" in done.stderr


def test_a_code_pasted_twice_counts_once_and_the_same_answers_twice_count_twice(
    group: dict[str, Any],
    tmp_path: Path,
) -> None:
    codes: list[str] = list(group["codes"][:4])
    twin = decode(codes[0])
    twin = replace(twin, share_id=bytes(4))  # another rep with exactly the same answers
    codes_file = _codes_file(tmp_path / "codes.txt", [*codes, codes[1], encode(twin)])
    done = _nutsec("workshop", "summary", str(codes_file), "--format", "json", data=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["people"] == 5 and summary["repeated_codes"] == 1


def test_a_code_with_one_changed_character_is_rejected_by_its_line_number(
    group: dict[str, Any],
    tmp_path: Path,
) -> None:
    codes: list[str] = list(group["codes"])
    bad = codes[3]
    position = 20
    codes[3] = bad[:position] + ("A" if bad[position] != "A" else "B") + bad[position + 1 :]
    codes_file = _codes_file(tmp_path / "codes.txt", codes)
    done = _nutsec("workshop", "summary", str(codes_file), data=tmp_path)
    assert done.returncode == 2
    # Line 1 is a comment and line 2 blank, so the fourth code is on line 6.
    assert f"{codes_file}, line 6: Group 3 (" in done.stderr and "Copy that group" in done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_a_code_for_another_checklist_version_is_rejected_by_its_line_number(
    group: dict[str, Any],
    tmp_path: Path,
) -> None:
    codes: list[str] = list(group["codes"])
    older = replace(decode(codes[2]), checklist_version="0.9")
    codes.insert(2, encode(older))
    codes_file = _codes_file(tmp_path / "codes.txt", codes)
    done = _nutsec("workshop", "summary", str(codes_file), data=tmp_path)
    assert done.returncode == 2
    assert f"{codes_file}, line 5:" in done.stderr and "does not ship" in done.stderr
    all_older = [encode(replace(decode(c), checklist_version="0.9")) for c in group["codes"]]
    alone = _nutsec("workshop", "summary", "-", data=tmp_path, stdin="\n".join(all_older))
    assert alone.returncode == 2
    assert "standard input, line 1:" in alone.stderr
    assert f"version {_checklist().version}" in alone.stderr


def test_codes_can_come_from_standard_input(group: dict[str, Any], tmp_path: Path) -> None:
    text = "\n".join(group["codes"]) + "\n"
    done = _nutsec("workshop", "summary", "-", "--format", "markdown", data=tmp_path, stdin=text)
    assert done.returncode == 0, done.stderr
    assert "6 people took part." in done.stdout
    assert "## What the group should work on first" in done.stdout


def test_compare_shows_what_changed_between_two_sessions(
    group: dict[str, Any],
    tmp_path: Path,
) -> None:
    codes: list[str] = list(group["codes"])
    earlier = _codes_file(tmp_path / "march.txt", codes[:3])
    later = _codes_file(tmp_path / "may.txt", codes[3:])
    small = ("--min-group", "3")
    done = _nutsec(
        "workshop",
        "summary",
        str(later),
        "--compare",
        str(earlier),
        "--format",
        "json",
        *small,
        data=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["compare"]["earlier"]["people"] == 3 and summary["people"] == 3
    changes = summary["compare"]["changes"]
    assert changes and {c["id"] for c in changes} >= {t["id"] for t in summary["top"]}
    text = _nutsec(
        "workshop", "summary", str(later), "--compare", str(earlier), *small, data=tmp_path
    )
    assert "What changed since last time" in text.stdout
    assert re.search(r"last time \d+% still to do \(\d+ of \d+\); now \d+%", text.stdout)


def test_a_missing_or_empty_file_is_one_clear_line(tmp_path: Path) -> None:
    missing = _nutsec("workshop", "summary", str(tmp_path / "nope.txt"), data=tmp_path)
    assert missing.returncode == 2 and "Cannot read" in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n", encoding="utf-8")
    done = _nutsec("workshop", "summary", str(empty), data=tmp_path)
    assert done.returncode == 2 and "no share codes" in done.stderr
    assert "Traceback" not in missing.stderr + done.stderr


def test_html_is_self_contained_and_written_privately(
    group: dict[str, Any], tmp_path: Path
) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"])
    out = tmp_path / "summary.html"
    done = _nutsec(
        "workshop",
        "summary",
        str(codes_file),
        "--format",
        "html",
        "-o",
        str(out),
        data=tmp_path / "data",
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert (
        "@page { size: A4" in page
        and "<script" not in page
        and "http" not in page.split("</head>")[1]
    )
    assert (out.stat().st_mode & 0o777) == 0o600
    assert "6 people took part." in page


@pytest.mark.skipif(not (CHROMIUM and POPPLER), reason="needs chromium and poppler-utils")
def test_a_real_browser_prints_the_summary_on_a4(group: dict[str, Any], tmp_path: Path) -> None:
    assert CHROMIUM
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"])
    page = tmp_path / "summary.html"
    done = _nutsec(
        "workshop",
        "summary",
        str(codes_file),
        "--compare",
        str(codes_file),
        "--format",
        "html",
        "-o",
        str(page),
        data=tmp_path / "data",  # never write -o into the data folder (issue 14)
    )
    assert done.returncode == 0, done.stderr
    pdf = print_pdf(page, tmp_path, "summary.pdf")
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size[1]) - 595) < 2 and abs(float(size[2]) - 842) < 2, info
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.split()
    )
    assert "6 people took part." in text
    assert "What the group should work on first" in text and "What changed since last time" in text


def test_codes_for_a_checklist_nutsec_does_not_ship_are_refused_by_line(
    group: dict[str, Any], tmp_path: Path
) -> None:
    own = [encode(replace(decode(c), checklist_id="my-own-list")) for c in group["codes"]]
    codes_file = _codes_file(tmp_path / "codes.txt", own)
    done = _nutsec("workshop", "summary", str(codes_file), data=tmp_path)
    assert done.returncode == 2
    assert f"{codes_file}, line 3:" in done.stderr and "does not ship" in done.stderr


# Each audit counts once (issue 19) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def one_laptop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Five reps audited one after another on one workshop laptop (one data folder), each
    sharing their own audit by its number; then the first shares again."""
    checklist = _checklist()
    folder = tmp_path_factory.mktemp("laptop")
    data = folder / "data"
    codes, warnings = [], []
    for number in range(5):
        answers = folder / f"rep{number}.toml"
        answers.write_text(_person(number, checklist)[0], encoding="utf-8")
        audit = _nutsec("audit", "--answers", str(answers), "--offline", data=data)
        assert audit.returncode == 0, audit.stderr
    for audit_id in range(1, 6):
        shared = _nutsec("share", str(audit_id), "--plain", data=data)
        assert shared.returncode == 0, shared.stderr
        codes.append(shared.stdout.strip())
        warnings.append(shared.stderr)
    again = _nutsec("share", "1", "--plain", data=data)
    assert again.returncode == 0, again.stderr
    return {"codes": codes, "again": again.stdout.strip(), "warnings": warnings, "data": data}


def test_five_audits_made_one_after_another_on_one_computer_count_as_five(
    one_laptop: dict[str, Any], tmp_path: Path
) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", one_laptop["codes"])
    done = _nutsec("workshop", "summary", str(codes_file), "--format", "json", data=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["people"] == 5


def test_four_audits_and_one_of_them_shared_twice_are_refused_by_the_minimum(
    one_laptop: dict[str, Any], tmp_path: Path
) -> None:
    assert one_laptop["again"] == one_laptop["codes"][0], "one audit, one code"
    four = [*one_laptop["codes"][:4], one_laptop["again"]]
    codes_file = _codes_file(tmp_path / "codes.txt", four)
    done = _nutsec("workshop", "summary", str(codes_file), data=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert "4 different audits (1 code set aside" in done.stderr and "at least 5" in done.stderr
    both = _codes_file(tmp_path / "all.txt", [*one_laptop["codes"], one_laptop["again"]])
    shown = _nutsec("workshop", "summary", str(both), "--no-pager", data=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "5 people took part. 1 code was set aside" in " ".join(shown.stdout.split())


def test_share_says_to_share_only_the_newest_audit_and_warns_for_an_older_one(
    one_laptop: dict[str, Any],
) -> None:
    *older, newest = one_laptop["warnings"]
    for text in older:
        flat = " ".join(text.split())
        assert "is not the newest audit on this computer (audit 5 is)" in flat
        assert "Share only your own newest audit" in flat
    assert "not the newest" not in newest


def test_the_terminal_summary_fits_one_80x24_screen_with_the_details_after_it(
    group: dict[str, Any], tmp_path: Path
) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"])
    done = _nutsec("workshop", "summary", str(codes_file), "--date", "2026-05-03", data=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    screen = lines[: lines.index("Details")]
    assert len(screen) <= 23 and all(len(line) <= 80 for line in screen)
    first = "\n".join(screen)
    assert first.startswith("Workshop summary: session of 3 May 2026")
    assert "6 people took part." in first and "What the group should work on first" in first
    assert first.count("\n  1. ") == 1 and "\n  5. " in first
    assert "Why it matters:" not in first and "Why it matters:" in done.stdout
    # Most serious first: no item after one of lower severity.
    shown = re.findall(r"^  \d\. .* \((critical|high|medium|low)\): ", first, re.M)
    ranks = ["critical", "high", "medium", "low"]
    assert [ranks.index(s) for s in shown] == sorted(ranks.index(s) for s in shown)
    bad = _nutsec("workshop", "summary", str(codes_file), "--date", "May 3rd", data=tmp_path)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_the_summary_is_dated_by_the_codes(group: dict[str, Any], tmp_path: Path) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"])
    done = _nutsec("workshop", "summary", str(codes_file), "--format", "json", data=tmp_path)
    made = {decode(c).made_on for c in group["codes"]}
    assert json.loads(done.stdout)["date"] == max(d for d in made if d).isoformat()


def test_compare_with_the_same_codes_plus_one_latecomer_withholds_the_changes(
    group: dict[str, Any], tmp_path: Path
) -> None:
    """Issue 22: 5 codes against the same 5 plus one latecomer showed that person's answers."""
    earlier = _codes_file(tmp_path / "march.txt", group["codes"][:5])
    later = _codes_file(tmp_path / "may.txt", group["codes"])
    for format in SummaryFormat:
        done = _nutsec(
            "workshop",
            "summary",
            str(later),
            "--compare",
            str(earlier),
            "--format",
            format.value,
            "--no-pager",
            data=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert "differ by only 1 person" in done.stdout, format
        assert "still to do" not in done.stdout and "last time" not in done.stdout.lower().replace(
            "since last time", ""
        ), format


@pytest.mark.skipif(not (CHROMIUM and POPPLER), reason="needs chromium and poppler-utils")
def test_the_printed_summary_of_five_people_is_one_dated_page(
    group: dict[str, Any], tmp_path: Path
) -> None:
    codes_file = _codes_file(tmp_path / "codes.txt", group["codes"][:5])
    page = tmp_path / "summary.html"
    done = _nutsec(
        "workshop",
        "summary",
        str(codes_file),
        "--date",
        "2026-05-03",
        "--format",
        "html",
        "-o",
        str(page),
        data=tmp_path / "data",
    )
    assert done.returncode == 0, done.stderr
    pdf = print_pdf(page, tmp_path, "summary.pdf")
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.split()
    )
    assert "Session of 3 May 2026" in text and "5 people took part." in text
    assert "from anonymous share codes" in text
