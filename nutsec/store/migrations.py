"""The saved-audits schema, as an ordered list of migrations: never edit one, only append.

`PRAGMA user_version` holds how many have been applied; opening a store applies the rest.
"""

from __future__ import annotations

#: Version 1: audits, their inventory, answers and password findings (no password, no hash).
V1 = """
CREATE TABLE audits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL,
    checklist_id TEXT NOT NULL,
    checklist_version TEXT NOT NULL,
    checklist_text TEXT NOT NULL,
    position TEXT,
    overall INTEGER,
    band TEXT
);
CREATE TABLE devices (
    audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (audit_id, name)
);
CREATE TABLE accounts (
    audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    username TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (audit_id, name)
);
-- subject is '' for person items: a NULL in a primary key would not be unique in SQLite.
CREATE TABLE answers (
    audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL,
    PRIMARY KEY (audit_id, item_id, subject)
);
CREATE TABLE password_findings (
    audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    strength_score INTEGER NOT NULL,
    crack_time TEXT NOT NULL,
    warning TEXT NOT NULL,
    suggestions TEXT NOT NULL,
    rating TEXT NOT NULL,
    truncated INTEGER NOT NULL,
    breach_status TEXT NOT NULL,
    breach_count INTEGER NOT NULL,
    breach_reason TEXT,
    reused_with TEXT NOT NULL,
    similar_to TEXT NOT NULL,
    PRIMARY KEY (audit_id, account)
);
"""

#: Version 2: when each audit was last worked on (so resume offers the one you were doing) and
#: when each answer was given (the lost-device card and history can say "checked on ...").
V2 = """
ALTER TABLE audits ADD COLUMN updated_at TEXT;
UPDATE audits SET updated_at = COALESCE(finished_at, created_at);
ALTER TABLE answers ADD COLUMN answered_at TEXT;
"""

#: Version 3: the lost-device tick log, one row per runbook step done (promise 4: each tick is
#: committed at once). audit_id is NULL for the general runbook (no saved audit); device is ''
#: when no device was named. A step is ticked once: its first time is the one kept.
V3 = """
CREATE TABLE lost_device_ticks (
    audit_id INTEGER REFERENCES audits(id) ON DELETE CASCADE,
    device TEXT NOT NULL,
    step TEXT NOT NULL,
    done_at TEXT NOT NULL
);
CREATE UNIQUE INDEX lost_device_ticks_once ON lost_device_ticks (ifnull(audit_id, 0), device, step);
"""

#: Version 4: what each device runs and who runs each e-mail account, so the audit asks and shows
#: only their own steps. Older rows read as "other" / "" (every variant shown).
V4 = """
ALTER TABLE devices ADD COLUMN system TEXT NOT NULL DEFAULT 'other';
ALTER TABLE accounts ADD COLUMN provider TEXT NOT NULL DEFAULT '';
"""

#: Version 5: keyed password fingerprints (HMAC-SHA256 under the history key kept in the OS
#: keyring; never a password or a hash of one), per audit and account, so reuse is found across
#: sittings and audits. key_id names the key that made them (a keyed check value, not the key).
#: What the findings could not compare, and since when a password is unchanged, kept with them.
V5 = """
CREATE TABLE password_fingerprints (
    audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    key_id TEXT NOT NULL,
    exact BLOB,
    base BLOB,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (audit_id, account)
);
ALTER TABLE password_findings ADD COLUMN reuse_unknown TEXT;
ALTER TABLE password_findings ADD COLUMN unchanged_since TEXT;
"""

#: Version 6: each audit's share id, 4 random bytes made when the audit is created (SQLite's
#: randomblob for audits saved before), never from anything about the person. Every share code of
#: the audit carries it, so a workshop summary counts the audit once however often it is shared.
V6 = """
ALTER TABLE audits ADD COLUMN share_id BLOB;
UPDATE audits SET share_id = randomblob(4);
"""

MIGRATIONS: tuple[str, ...] = (V1, V2, V3, V4, V5, V6)

#: The schema version this nutsec writes.
SCHEMA_VERSION = len(MIGRATIONS)
