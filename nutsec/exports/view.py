"""The export audit as words, shared by the terminal and HTML pages so both say the same.

Every piece of text from the export (names, usernames, addresses) has its control characters
shown as codes (U+001B) here, so no format can be made to obey them; HTML escaping is Jinja's.
"""

from __future__ import annotations

from dataclasses import dataclass

from nutsec import __version__
from nutsec.exports.checks import EntryFindings, ExportAudit
from nutsec.exports.entries import (
    SKIPPED_BIN,
    SKIPPED_EXCLUDED,
    SKIPPED_NO_PASSWORD,
    SKIPPED_NOT_LOGIN,
)
from nutsec.passwords.weakness import make_strong, weak_reason
from nutsec.report.view import strength_phrase
from nutsec.safe_text import without_controls
from nutsec.twofactor.directory import join_words
from nutsec.verdict import _ADVICE_NEW as GENERAL_NEW_PASSWORD_ADVICE
from nutsec.verdict import describe_breach

#: Said at the end of every run and every page: the export is the most dangerous file around.
DELETE_REMINDER = (
    "Your export file holds every password in plain text. Now that the audit is done, delete "
    "it securely (and empty the bin), and do not e-mail it or keep a copy."
)
NO_SECRETS = "No password, or any part of one, is shown: only what nutsec found."
#: The heading over entries with nothing to change. Not "fine" or "safe": their breach check
#: may not have been done (promise 3), and each entry says so.
NO_PROBLEM_HEADING = "No problem found"

LEVEL_WORD = {"breached": "Breached", "weak": "Weak", "fair": "Fair", "strong": "Strong"}


@dataclass(frozen=True)
class EntryView:
    name: str
    username: str
    site: str  # the address as saved, for finding the login again
    line: int
    level: str  # breached, weak, fair, strong
    level_word: str
    problems: tuple[str, ...]  # one plain sentence per finding
    advice: tuple[str, ...]  # what to do, most urgent first
    copies: int
    position: str = ""  # "line 12" (CSV), "item 3" (JSON), "entry 7" (database)
    two_step: str = ""  # what the 2FA Directory says, or "" when the site is not listed
    two_step_link: str = ""  # the site's own page on turning two-step sign-in on
    passkey: str = ""  # what the Passkeys Directory says, or "" when the site offers none
    passkey_link: str = ""  # the site's own page on setting a passkey up


@dataclass(frozen=True)
class AuditView:
    title: str
    file_name: str
    source_title: str
    tool_version: str
    counts: tuple[str, ...]  # the summary, one line each
    notes: tuple[str, ...]  # what was skipped or merged
    to_fix: tuple[EntryView, ...]  # most urgent first
    fine: tuple[EntryView, ...]
    fine_heading: str
    no_secrets: str
    reminder: str  # "" when there is no plaintext file to delete (stdin, a KeePass database)
    two_step_source: str = ""  # where the two-step hints come from, when any were given
    source_phrase: str = ""  # "a Bitwarden export", "a KeePass database"
    passkey_source: str = ""  # the Passkeys Directory's credit (CC BY 4.0), when a hint is shown


#: Named wherever the hints are shown: the data's source, as its MIT licence asks.
TWO_STEP_SOURCE = "Two-step sign-in details: the 2FA Directory (2fa.directory), snapshot of {date}."


def audit_view(audit: ExportAudit) -> AuditView:
    ordered = audit.by_urgency()
    position = audit.position_word
    return AuditView(
        title="Password export audit",
        file_name=without_controls(audit.file_name),
        source_title=audit.source_title,
        source_phrase=(
            f"a {audit.source_title}"
            if audit.source_key == "kdbx"
            else f"a {audit.source_title} export"
        ),
        tool_version=__version__,
        counts=_counts(audit),
        notes=_notes(audit),
        to_fix=tuple(_entry(f, position) for f in ordered if f.needs_action),
        fine=tuple(_entry(f, position) for f in ordered if not f.needs_action),
        fine_heading=NO_PROBLEM_HEADING,
        no_secrets=NO_SECRETS,
        reminder=DELETE_REMINDER if audit.plaintext_file else "",
        two_step_source=(
            TWO_STEP_SOURCE.format(date=audit.two_step_date) if audit.two_step_date else ""
        ),
        passkey_source=next((f.passkey.credit for f in audit.entries if f.passkey), ""),
    )


def _counts(audit: ExportAudit) -> tuple[str, ...]:
    s = audit.summary
    logins = _plural(s.entries, "login")
    if not s.entries:
        return ("No logins with a password were found in this export.",)
    checked = s.entries - s.not_checked
    if not s.not_checked:
        breached = f"In known data breaches: {s.breached}"
    elif checked:
        breached = (
            f"In known data breaches: {s.breached} of the {_plural(checked, 'login')} checked"
        )
    else:
        # "0" alone would read as "none breached" when none could be checked (promise 3).
        breached = "In known data breaches: not checked"
    lines = [
        f"{logins} checked.",
        breached,
        f"Same password as another login: {s.reused}",
        f"A small change from another password: {s.similar}",
        f"Weak: {s.weak}",
        _two_step_count(s.two_step_offered, s.entries, s.two_step_set_up),
    ]
    if s.not_checked:
        reasons = sorted(
            {f.breach.reason or "no reason given" for f in audit.entries if f.breach.reason}
        )
        why = f" ({', '.join(reasons)})" if reasons else ""
        lines.append(f"Not checked for breaches{why}: {s.not_checked}, so not known to be safe")
    return tuple(lines)


def _two_step_count(offered: int, logins: int, set_up: int) -> str:
    line = f"{offered:,} of your {_plural(logins, 'login')} offer two-step sign-in"
    if set_up:
        line += f"; your password manager holds the codes for {set_up:,}"
    return line


def _notes(audit: ExportAudit) -> tuple[str, ...]:
    notes: list[str] = []
    if n := audit.skipped[SKIPPED_NOT_LOGIN]:
        what = (
            "1 entry that is not a login (a note, card or identity)"
            if n == 1
            else f"{n:,} entries that are not logins (notes, cards or identities)"
        )
        notes.append(f"Skipped {what}.")
    if n := audit.skipped[SKIPPED_BIN]:
        notes.append(
            f"Left out {_plural(n, 'entry', 'entries')} in the bin, trash, archive or a backup "
            "folder (old or deleted copies)."
        )
    if n := audit.skipped[SKIPPED_EXCLUDED]:
        notes.append(f"Left out {_plural(n, 'entry', 'entries')} in the folders you named.")
    if n := audit.skipped[SKIPPED_NO_PASSWORD]:
        notes.append(f"Skipped {_plural(n, 'entry', 'entries')} with no password.")
    if n := audit.duplicates:
        notes.append(
            f"{_plural(n, 'entry was a copy', 'entries were copies')} of a login saved more than "
            "once (same site, username and password): each login is counted once."
        )
    return tuple(notes)


def _entry(f: EntryFindings, position: str) -> EntryView:
    problems: list[str] = list(f.hidden)  # first: why the title reads "***"
    if f.breached:
        problems.append(describe_breach(f.breach))
    if f.reused_with:
        problems.append("Same password as: " + ", ".join(map(without_controls, f.reused_with)))
    if f.similar_to:
        problems.append(
            "A small change from the password of: " + ", ".join(map(without_controls, f.similar_to))
        )
    problems.append(strength_phrase(f.strength) + ".")
    if f.weak:
        problems.append(f"Why: {_lower_first(weak_reason(f.strength))}")
    if not f.breached:
        problems.append(describe_breach(f.breach))
    if f.copies > 1:
        problems.append(f"Saved {f.copies} times in the export.")
    advice = _advice(f) if f.needs_action else ()
    two_step, link = _two_step(f)
    return EntryView(
        name=without_controls(f.name),
        username=without_controls(f.username),
        site=without_controls(f.url),
        line=f.line,
        level=f.verdict.level,
        level_word=LEVEL_WORD[f.verdict.level],
        problems=tuple(problems),
        advice=advice,
        copies=f.copies,
        position=f"{position} {f.line}",
        two_step=two_step,
        two_step_link=link,
        passkey=without_controls(f.passkey.text) if f.passkey else "",
        passkey_link=without_controls(f.passkey.link) if f.passkey else "",
    )


def _lower_first(sentence: str) -> str:
    """ "It is too short." -> "it is too short." (after "Why:"); zxcvbn's own stay as written."""
    return "i" + sentence[1:] if sentence.startswith("It is ") else sentence


def _advice(f: EntryFindings) -> tuple[str, ...]:
    """The two most urgent things to do; for a weak password, what would make it strong takes
    the place of the general "use random words" advice and zxcvbn's own hints."""
    if not f.weak:
        return f.verdict.advice[:2]
    general = {GENERAL_NEW_PASSWORD_ADVICE, *f.strength.suggestions}
    rest = [a for a in f.verdict.advice if a not in general]
    at = 1 if f.breached else 0  # "Change it now" stays first
    return tuple([*rest[:at], make_strong(f.strength), *rest[at:]][:2])


def _two_step(f: EntryFindings) -> tuple[str, str]:
    """One sentence on two-step sign-in for this login, and the site's how-to link."""
    site = f.two_step
    if f.totp:
        return "Two-step sign-in: set up (a code generator is saved with this login).", ""
    if site is None:
        return "", ""
    name = without_controls(site.name)
    if not site.offers_two_step:
        return f"Two-step sign-in: {name} does not offer it.", ""
    methods = join_words(site.method_words)
    text = f"Two-step sign-in: {name} offers it ({methods}). Turn it on if it is not on yet."
    return text, without_controls(site.documentation)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
