"""Checking an export: reuse and near-reuse by name, one login saved twice counted once, breaches
from a real loopback server or a corpus file with one request per distinct prefix, unknown is
never clean, and every password is wiped when the checks end."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nutsec.breach.corpus import open_corpus
from nutsec.breach.model import BreachStatus, OfflineSource
from nutsec.breach.sources import build_range_source
from nutsec.exports.checks import audit_export, strength_context
from nutsec.exports.reader import ExportEntry, ExportFile, host_of, read_export
from nutsec.secret import Secret
from tests.export_samples import Login, write_export
from tests.loopback import RangeServer

BREACHED = "Wkq#Zr5Yvp"
SHARED = "Hq4$Vn8*Lk2&Zm6^"
LOGINS = [
    Login("E-mail", "https://mail.example", "sam@example.org", SHARED),
    Login("Union site", "https://union.example", "sam", SHARED),
    Login("Forum", "https://forum.example", "sam", "Zqxv#Vbnq%Kqzw~7"),
    Login("Chat", "https://chat.example", "sam", "Zqxv#Vbnq%Kqzw~8"),
    Login("Shop", "https://shop.example", "sam", BREACHED),
    Login("Bank", "https://bank.example", "sam", "Jv#8Qm!tRz2@Wp9x-correct-horse"),
    # The same login saved twice: not reuse.
    Login("Bank", "https://www.bank.example/login", "SAM", "Jv#8Qm!tRz2@Wp9x-correct-horse"),
]


def _export(tmp_path: Path, logins: list[Login] = LOGINS) -> ExportFile:
    return read_export(write_export(tmp_path / "export.csv", "bitwarden", logins))


def _prefix(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()[:5]


def test_reuse_and_near_reuse_are_reported_by_name(tmp_path: Path) -> None:
    audit = audit_export(_export(tmp_path), OfflineSource())
    found = {f.name: f for f in audit.entries}
    assert found["E-mail"].reused_with == ("Union site",)
    assert found["Union site"].reused_with == ("E-mail",)
    assert found["Forum"].similar_to == ("Chat",)
    assert found["Chat"].similar_to == ("Forum",)
    assert found["Shop"].reused_with == () and found["Shop"].similar_to == ()
    assert audit.summary.reused == 2 and audit.summary.similar == 2


def test_a_login_saved_twice_is_one_login_not_reuse(tmp_path: Path) -> None:
    audit = audit_export(_export(tmp_path), OfflineSource())
    banks = [f for f in audit.entries if f.name == "Bank"]
    assert len(banks) == 1
    assert banks[0].copies == 2 and banks[0].reused_with == ()
    assert audit.duplicates == 1 and audit.summary.entries == 6


def test_same_site_and_user_with_a_different_password_stays_two_entries(tmp_path: Path) -> None:
    logins = [
        Login("Bank", "https://bank.example", "sam", "Qq7#Lm2$Xv9!"),
        Login("Bank", "https://bank.example", "sam", "Rr8%Np3&Yw4@"),
    ]
    audit = audit_export(_export(tmp_path, logins), OfflineSource())
    assert len(audit.entries) == 2 and audit.duplicates == 0


def test_entries_sharing_a_name_are_told_apart_in_reuse_lists(tmp_path: Path) -> None:
    logins = [
        Login("Google", "https://google.com", "work@example.org", SHARED),
        Login("Google", "https://google.com", "home@example.org", SHARED),
    ]
    audit = audit_export(_export(tmp_path, logins), OfflineSource())
    assert audit.entries[0].reused_with == ("Google (home@example.org)",)
    assert audit.entries[1].reused_with == ("Google (work@example.org)",)


def test_breaches_come_from_the_range_server_one_request_per_distinct_prefix(
    tmp_path: Path,
) -> None:
    export = _export(tmp_path)
    with RangeServer() as server:
        server.add_password(BREACHED, 1234)
        source = build_range_source(server.url)
        try:
            audit = audit_export(export, source)
        finally:
            source.close()
        paths = sorted(r.path for r in server.requests)
    checked = {login.password for login in LOGINS}
    assert paths == sorted(f"/range/{p}" for p in {_prefix(p) for p in checked})
    found = {f.name: f.breach for f in audit.entries}
    assert found["Shop"].status is BreachStatus.FOUND and found["Shop"].count == 1234
    assert found["Bank"].status is BreachStatus.NOT_FOUND
    assert audit.summary.breached == 1 and audit.summary.not_checked == 0
    assert next(f for f in audit.entries if f.name == "Shop").verdict.level == "breached"


def test_breaches_come_from_an_offline_corpus_file(tmp_path: Path) -> None:
    digest = hashlib.sha1(BREACHED.encode(), usedforsecurity=False).hexdigest().upper()
    others = [hashlib.sha1(str(i).encode(), usedforsecurity=False).hexdigest().upper()
              for i in range(50)]  # fmt: skip
    lines = sorted([f"{digest}:77", *(f"{h}:3" for h in others)])
    corpus = tmp_path / "pwned.txt"
    corpus.write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    source = open_corpus(corpus)
    try:
        audit = audit_export(_export(tmp_path), source)
    finally:
        source.close()
    found = {f.name: f.breach for f in audit.entries}
    assert found["Shop"].status is BreachStatus.FOUND and found["Shop"].count == 77
    assert found["E-mail"].status is BreachStatus.NOT_FOUND


def test_offline_is_not_checked_and_never_clean(tmp_path: Path) -> None:
    audit = audit_export(_export(tmp_path), OfflineSource())
    assert audit.summary.not_checked == len(audit.entries) == 6
    assert audit.summary.breached == 0
    assert all(f.breach.reason == "offline" for f in audit.entries)
    assert all("Not checked" in f.verdict.breach_line for f in audit.entries)


def test_progress_is_told_for_strength_and_breach_checks(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    audit_export(_export(tmp_path), OfflineSource(), lambda *event: seen.append(event))
    strength = [e for e in seen if e[0] == "strength"]
    assert [e[1] for e in strength] == list(range(1, 7)) and strength[-1][2] == 6
    assert ("breach", 6, 6) in seen


def test_every_password_is_wiped_when_the_checks_end(tmp_path: Path) -> None:
    export = _export(tmp_path)
    audit_export(export, OfflineSource())
    assert all(entry.secret.wiped for entry in export.entries)


def test_passwords_are_wiped_even_when_a_check_fails(tmp_path: Path) -> None:
    class BrokenSource(OfflineSource):
        def check_many(self, secrets, progress=None):  # type: ignore[no-untyped-def]
            raise RuntimeError("the source broke")

    export = _export(tmp_path)
    with pytest.raises(RuntimeError):
        audit_export(export, BrokenSource())
    assert all(entry.secret.wiped for entry in export.entries)


def test_action_order_is_breached_then_reused_then_weak(tmp_path: Path) -> None:
    logins = [*LOGINS, Login("Old game", "https://game.example", "sam", "qzxwvq")]
    with RangeServer() as server:
        server.add_password(BREACHED, 3)
        source = build_range_source(server.url)
        try:
            audit = audit_export(_export(tmp_path, logins), source)
        finally:
            source.close()
    order = [f.name for f in audit.by_urgency()]
    assert order[0] == "Shop"
    assert set(order[1:3]) == {"E-mail", "Union site"}
    assert order.index("Old game") < order.index("Chat") < order.index("Bank")


def test_strength_context_has_the_name_site_username_and_union() -> None:
    url = "https://www.mail.acme.co.uk"
    entry = ExportEntry(2, "Work mail", "sam_rep", url, host_of(url), Secret("x"))
    words = strength_context(entry)
    for word in ("Work mail", "sam_rep", "nut", "union", "mail", "acme"):
        assert word in words
    assert "www" not in words and "uk" not in words


def test_strength_checks_run_while_the_breach_lookups_are_in_flight(tmp_path: Path) -> None:
    """The breach source does not answer until every strength check is done: were the two
    stages run one after the other, it would wait in vain (and say so)."""
    import threading

    strength_done = threading.Event()

    class WaitingSource(OfflineSource):
        def __init__(self) -> None:
            super().__init__("waited")
            self.saw_strength_finish = False

        def check_many(self, secrets, progress=None):  # type: ignore[no-untyped-def]
            self.saw_strength_finish = strength_done.wait(timeout=10)
            return super().check_many(secrets, progress)

    def observe(stage: str, done: int, total: int) -> None:
        if stage == "strength" and done == total:
            strength_done.set()

    source = WaitingSource()
    audit = audit_export(_export(tmp_path), source, observe)
    assert source.saw_strength_finish
    assert len(audit.entries) == 6
