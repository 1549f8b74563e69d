"""Single answer keys: the usual ones are fixed, and none clashes with another or with ?/b/s/q."""

from __future__ import annotations

from pathlib import Path

import pytest

from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.cli.audit_prompts import RESERVED, choice_keys

DEFAULT = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")


@pytest.mark.parametrize(
    ("options", "keys"),
    [
        (
            [
                ("yes", "Yes"),
                ("no", "No"),
                ("partly", "Partly"),
                ("not_sure", "Not sure"),
                ("not_applicable", "Does not apply to me"),
            ],
            {"y": "yes", "n": "no", "p": "partly", "u": "not_sure", "a": "not_applicable"},
        ),
        (
            [("strong", "Strong"), ("safe", "Safe"), ("quiet", "Quiet")],
            {"t": "strong", "a": "safe", "u": "quiet"},
        ),
        (
            [("too_old", "Too old"), ("not_offered", "Not offered"), ("no", "No")],
            {"t": "too_old", "n": "not_offered", "o": "no"},
        ),
        ([("backup", "Backup"), ("sync", "Sync")], {"a": "backup", "y": "sync"}),
    ],
)
def test_keys_come_from_labels_without_clashes(
    options: list[tuple[str, str]], keys: dict[str, str]
) -> None:
    assert choice_keys(options) == keys


def test_every_item_of_the_default_checklist_gets_distinct_free_keys() -> None:
    for item in DEFAULT.items():
        keys = choice_keys([(o.key, o.label) for o in item.answers])
        assert len(keys) == len(item.answers), item.id
        assert all(len(k) == 1 and k not in RESERVED for k in keys), item.id
