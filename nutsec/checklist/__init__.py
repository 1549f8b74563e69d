"""Checklists: the typed model, the validating TOML loader and the shipped-checklist catalog."""

from nutsec.checklist.model import (
    AnswerOption,
    AnswerStatus,
    Checklist,
    Item,
    ItemStatus,
    Scope,
    Section,
    Severity,
)

__all__ = [
    "AnswerOption",
    "AnswerStatus",
    "Checklist",
    "Item",
    "ItemStatus",
    "Scope",
    "Section",
    "Severity",
]
