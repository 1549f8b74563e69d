"""Find checklists by name: the ones shipped with nutsec, then the user's own folder."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nutsec.checklist.loader import check_checklist, load_checklist
from nutsec.checklist.model import Checklist
from nutsec.checklist.names import DEFAULT_CHECKLIST
from nutsec.errors import ChecklistError

__all__ = ["DEFAULT_CHECKLIST", "ChecklistCatalog", "shipped_dir", "user_dir"]


def shipped_dir() -> Path:
    """`checklists/` inside the installed wheel, or at the repository root in a checkout."""
    installed = Path(str(resources.files("nutsec"))) / "_shipped" / "checklists"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "checklists"


def user_dir(data_dir: Path) -> Path:
    return data_dir / "checklists"


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    path: Path
    shipped: bool
    checklist: Checklist | None
    problem_count: int


class ChecklistCatalog:
    """The checklists a person can choose by name."""

    def __init__(self, folders: list[tuple[Path, bool]]) -> None:
        self._folders = folders

    @classmethod
    def standard(cls, data_dir: Path) -> ChecklistCatalog:
        return cls([(shipped_dir(), True), (user_dir(data_dir), False)])

    def entries(self) -> list[CatalogEntry]:
        found: list[CatalogEntry] = []
        for folder, shipped in self._folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.toml")):
                checklist, problems = check_checklist(path)
                found.append(CatalogEntry(path.stem, path, shipped, checklist, len(problems)))
        return found

    def find(self, name_or_path: str) -> Path:
        """The file for a NAME or PATH; a clear error naming where we looked otherwise."""
        candidate = Path(name_or_path).expanduser()
        looks_like_path = candidate.suffix == ".toml" or "/" in name_or_path or "\\" in name_or_path
        if looks_like_path:
            if not candidate.exists():
                raise ChecklistError(
                    f"Checklist file not found: {candidate}. Check the file name and folder, "
                    "or see 'nutsec checklist list' for the checklists you have."
                )
            return candidate
        for folder, _shipped in self._folders:
            path = folder / f"{name_or_path}.toml"
            if path.is_file():
                return path
        names = sorted({e.name for e in self.entries()})
        known = f" Known checklists: {', '.join(names)}." if names else ""
        raise ChecklistError(
            f"No checklist called '{name_or_path}'.{known} "
            "Give a path to a .toml file to use your own."
        )

    def load(self, name_or_path: str) -> Checklist:
        return load_checklist(self.find(name_or_path))


def load_for_audit(catalog: ChecklistCatalog, name: str) -> tuple[Checklist, str]:
    """The checklist `name` and its text, for a new audit in any front-end (the store keeps the
    text, so old audits re-read the same)."""
    from nutsec.checklist.loader import load_checklist_text, read_checklist_file

    path = catalog.find(name)
    try:
        text = read_checklist_file(path)
    except ChecklistError as error:
        end = "" if error.message.endswith("?") else "."
        raise ChecklistError(f"Cannot use the checklist {path}: {error.message}{end}") from None
    return load_checklist_text(text, str(path)), text
