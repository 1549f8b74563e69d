"""The default checklist covers every paragraph of the union's guidance, in its own words.

docs/guidance-coverage.md maps each paragraph (and bullet point) of the 2012 guidance to the items
that cover it; these tests keep that table, the guidance and the checklist in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest

from nutsec.checklist.catalog import shipped_dir
from nutsec.checklist.loader import load_checklist
from nutsec.checklist.model import Checklist
from tests.conftest import DOCS

GUIDANCE = DOCS / "sources" / "social-media-guidance-2012.txt"
COVERAGE = DOCS / "guidance-coverage.md"

HEADINGS = [
    "Public Facing",
    "Reputational Risk",
    "Language",
    "Defamation",
    "No Such Thing as Privacy",
    "Clarity",
    "Confidentiality",
    "Security",
]

#: Shortest run of the guidance's words that counts as copying.
COPIED_WORDS = 8


@dataclass(frozen=True)
class Unit:
    """One paragraph, or one bullet point of a paragraph, under a heading of the guidance."""

    heading: str
    label: str
    text: str


def _is_heading(line: str) -> bool:
    return (
        not line.startswith("-")
        and line[-1] not in ".:;!?,"
        and len(line.split()) <= 6
        and line != line.upper()
    )


@cache
def guidance_units() -> tuple[Unit, ...]:
    """The guidance cut into paragraphs and points, labelled as the coverage table labels them."""
    units: list[Unit] = []
    heading: str | None = None
    paragraph = point = 0
    for raw in GUIDANCE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if _is_heading(line):
            heading, paragraph = line, 0
            continue
        if heading is None:
            continue  # the title and date above the first heading
        if line.startswith("- "):
            point += 1
            units.append(Unit(heading, f"paragraph {paragraph}, point {point}", line[2:]))
        else:
            paragraph, point = paragraph + 1, 0
            units.append(Unit(heading, f"paragraph {paragraph}", line))
    return tuple(units)


@cache
def coverage_rows() -> dict[tuple[str, str], tuple[str, ...]]:
    """(heading, paragraph label) -> item ids, from the paragraph-by-paragraph table."""
    text = COVERAGE.read_text(encoding="utf-8")
    table = text.split("## Paragraph by paragraph", 1)[1].split("\n## ", 1)[0]
    rows: dict[tuple[str, str], tuple[str, ...]] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("heading", "---"):
            continue
        key = (cells[0], cells[1])
        assert key not in rows, f"the coverage table has two rows for {key}"
        rows[key] = tuple(re.findall(r"`([^`]+)`", cells[3]))
    return rows


@cache
def checklist() -> Checklist:
    return load_checklist(shipped_dir() / "nut-social-media.toml")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+]+", text.lower().replace("'", "").replace("’", ""))


def _checklist_texts() -> list[tuple[str, str]]:
    """Every piece of wording a person reads, with where it is, for the copying test."""
    c = checklist()
    texts = [("title", c.title), ("description", c.description)]
    for section in c.sections:
        texts += [
            (f"section {section.id}", section.title),
            (f"section {section.id}", section.intro),
        ]
        for item in section.items:
            for field in ("question", "why", "fix", "current", "action"):
                texts.append((f"{item.id} {field}", getattr(item, field)))
            for field, variants in (("fix_for", item.fix_variants), ("why_for", item.why_variants)):
                texts += [(f"{item.id} {field}.{key}", text) for key, text in variants]
            texts += [(f"{item.id} label", option.label) for option in item.answers]
    return texts


def test_guidance_parses_into_its_eight_headed_sections() -> None:
    found = list(dict.fromkeys(unit.heading for unit in guidance_units()))
    assert found == HEADINGS
    security = [u.label for u in guidance_units() if u.heading == "Security"]
    assert security == [
        "paragraph 1",
        "paragraph 1, point 1",
        "paragraph 1, point 2",
        "paragraph 1, point 3",
        "paragraph 2",
        "paragraph 3",
        "paragraph 4",
        "paragraph 5",
    ]


@pytest.mark.parametrize("heading", HEADINGS)
def test_every_heading_of_the_guidance_appears_in_the_coverage_table(heading: str) -> None:
    assert heading in {row_heading for row_heading, _ in coverage_rows()}


def test_every_paragraph_and_point_of_the_guidance_has_exactly_one_row() -> None:
    wanted = {(unit.heading, unit.label) for unit in guidance_units()}
    listed = set(coverage_rows())
    assert sorted(wanted - listed) == [], "paragraphs of the guidance missing from the table"
    assert sorted(listed - wanted) == [], "rows that name no paragraph of the guidance"


def test_every_row_names_at_least_one_item() -> None:
    empty = [key for key, ids in coverage_rows().items() if not ids]
    assert empty == []


def test_every_item_id_in_the_coverage_table_exists_in_the_checklist() -> None:
    known = {item.id for item in checklist().items()}
    unknown = sorted({i for ids in coverage_rows().values() for i in ids} - known)
    assert unknown == [], f"the coverage table names items the checklist lacks: {unknown}"


def test_every_id_named_anywhere_in_the_coverage_doc_exists() -> None:
    known = {item.id for item in checklist().items()}
    text = COVERAGE.read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z][a-z-]*\.[a-z0-9.-]+)`", text))
    assert sorted(named - known) == []


def test_every_checklist_item_appears_in_the_coverage_table() -> None:
    listed = {i for ids in coverage_rows().values() for i in ids}
    missing = [item.id for item in checklist().items() if item.id not in listed]
    assert missing == []


def _cited_rows(source: str) -> list[tuple[str, str]]:
    """The table rows an item's `source` points at, e.g. 'Security, paragraphs 4 and 5'."""
    cited: list[tuple[str, str]] = []
    for part in (p.strip() for p in source.split(";")):
        heading = max((h for h in HEADINGS if part.startswith(h)), key=len, default=None)
        assert heading is not None, f"'{part}' names no heading of the guidance"
        rest = part[len(heading) :].lstrip(", ")
        if not rest:
            cited.append((heading, "paragraph 1"))
            continue
        match = re.fullmatch(r"paragraphs? (\d+)(?: and (\d+))?(, point \d+)?", rest)
        assert match, f"cannot read the paragraph in '{part}'"
        first, second, point = match.groups()
        for number in (first, second):
            if number:
                cited.append((heading, f"paragraph {number}{point or ''}"))
    return cited


def test_every_item_source_cites_a_paragraph_whose_row_lists_it() -> None:
    rows = coverage_rows()
    for item in checklist().items():
        assert item.source, f"{item.id} has no source"
        for row in _cited_rows(item.source):
            assert row in rows, f"{item.id} cites {row}, which the guidance does not have"
            assert item.id in rows[row], f"{item.id} cites {row} but that row does not list it"


def test_no_run_of_eight_words_of_the_guidance_is_copied_into_the_checklist() -> None:
    words = _words(GUIDANCE.read_text(encoding="utf-8"))
    runs = {tuple(words[i : i + COPIED_WORDS]) for i in range(len(words) - COPIED_WORDS + 1)}
    copied = []
    for where, text in _checklist_texts():
        mine = _words(text)
        for i in range(len(mine) - COPIED_WORDS + 1):
            if tuple(mine[i : i + COPIED_WORDS]) in runs:
                copied.append(f"{where}: {' '.join(mine[i : i + COPIED_WORDS])}")
    assert copied == []


def test_the_guidance_example_password_is_named_as_a_pattern_crackers_guess_first() -> None:
    mentions = [
        (item.id, text)
        for item in checklist().items()
        for text in (item.why, item.fix, item.current)
        if "+w1TT3r" in text
    ]
    assert mentions, "no item warns about the guidance's example password"
    for item_id, text in mentions:
        assert re.search(r"\b(guess|guesses|cracking)\b", text), f"{item_id} does not say why"
    assert "passwords.long-passphrases" in {item_id for item_id, _ in mentions}


def test_the_sources_table_lists_every_step_with_its_source_and_date() -> None:
    from nutsec.checklist.steps import checklist_steps, lost_device_steps

    text = COVERAGE.read_text(encoding="utf-8")
    table = text.split("## Sources of the steps", 1)[1].split("\n## ", 1)[0]
    listed = set()
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("where", "---"):
            listed.add(tuple(cells))
    steps, problems = lost_device_steps()
    assert problems == []
    wanted = {
        (s.where, s.step, s.source.source, s.source.checked.isoformat())
        for s in [*checklist_steps(checklist()), *steps]
    }
    assert sorted(wanted - listed) == [], "steps missing from the table (or changed)"
    assert sorted(listed - wanted) == [], "rows that are no step of the shipped data"
