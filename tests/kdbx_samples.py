"""Real KeePass databases made in the test: KDBX 4 by pykeepass's `create_database`, KDBX 3.1 by
pykeepass's own construct structures (`pykeepass.kdbx_parsing.KDBX.build`), because pykeepass
only writes a KDBX 3 file it has opened, and ships no KDBX 3 template to open.

pykeepass's blank database uses Argon2 with 64 MB and 14 passes (over a second per open); the
tests make one database with `create_database` whose Argon2 cost is turned down (1 MB, 2 passes)
and start each of theirs from it, so the suite stays fast. The file format is the same.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from construct import Container
from pykeepass import PyKeePass, create_database
from pykeepass.kdbx_parsing import KDBX

from tests.export_samples import Login

#: The master password of every test database.
MASTER = "Qz9!mK4#wP7&jX"
#: A login in the recycle bin and a history copy: neither may be audited.
TRASHED = Login("Thrown away", "https://bin.example", "old", "Tqzj-Pw-7731xq")
OLD_PASSWORD = "Hqzv-Pw-5529zk"
BACKUP = Login("Backup copy", "https://backup.example", "old", "Bqkv-Pw-8840wm")


def make_kdbx(
    path: Path,
    logins: Sequence[Login],
    *,
    version: int = 4,
    password: str | None = MASTER,
    keyfile: Path | None = None,
    folder: str = "Internet",
    totp_for: str = "",
) -> Path:
    """A database holding `logins` in `folder`, plus one trashed entry, one entry with a
    history copy (the current password is the login's own), and one in a "Backup" group."""
    if keyfile is not None and not keyfile.exists():
        keyfile.write_bytes(os.urandom(64))
    db = PyKeePass(io.BytesIO(_light_blank()), password=_TEMPLATE_PASSWORD)
    db.filename = str(path)
    db.password = password
    db.keyfile = str(keyfile) if keyfile else None
    group = db.add_group(db.root_group, folder)
    for n, login in enumerate(logins):
        entry = db.add_entry(
            group, login.name, login.username, OLD_PASSWORD if n == 0 else login.password,
            url=login.url or None,
        )  # fmt: skip
        if login.name == totp_for:
            entry.otp = "otpauth://totp/Site:sam?secret=JBSWY3DPEHPK3PXP&issuer=Site"
        if n == 0:
            entry.save_history()
            entry.password = login.password
    trashed = db.add_entry(
        db.root_group, TRASHED.name, TRASHED.username, TRASHED.password, url=TRASHED.url
    )
    db.trash_entry(trashed)
    backup = db.add_group(db.root_group, "Backup")
    db.add_entry(backup, BACKUP.name, BACKUP.username, BACKUP.password, url=BACKUP.url)
    db.save()
    if version == 3:
        _rewrite_as_kdbx3(db, path, password, keyfile)
    assert PyKeePass(str(path), password, str(keyfile) if keyfile else None).version[0] == version
    return path


_TEMPLATE_PASSWORD = "template"


@cache
def _light_blank() -> bytes:
    """An empty KDBX 4 database from `create_database`, with a cheap Argon2 setting."""
    db = create_database(io.BytesIO(), password=_TEMPLATE_PASSWORD)
    kdf = db.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    kdf.I.value, kdf.M.value = 2, 1024 * 1024
    out = io.BytesIO()
    db.save(out)
    return out.getvalue()


def _item(name: str, data: object) -> Container:
    return Container(id=name, data=data)


def _rewrite_as_kdbx3(
    db: PyKeePass, path: Path, password: str | None, keyfile: Path | None
) -> None:
    """The same XML tree in a KDBX 3.1 container: AES-KDF, AES-256, Salsa20 inner stream."""
    header = Container(
        cipher_id=_item("cipher_id", "aes256"),
        compression_flags=_item("compression_flags", Container(compression=True)),
        master_seed=_item("master_seed", os.urandom(32)),
        transform_seed=_item("transform_seed", os.urandom(32)),
        transform_rounds=_item("transform_rounds", 2000),
        encryption_iv=_item("encryption_iv", os.urandom(16)),
        protected_stream_key=_item("protected_stream_key", os.urandom(32)),
        stream_start_bytes=_item("stream_start_bytes", os.urandom(32)),
        protected_stream_id=_item("protected_stream_id", "salsa20"),
        end=_item("end", b""),
    )
    kdbx3 = Container(
        header=Container(
            value=Container(
                sig1=b"\x03\xd9\xa2\x9a", sig2=b"\x67\xfb\x4b\xb5", sig_check=None,
                minor_version=1, major_version=3, dynamic_header=header,
            )
        ),
        body=Container(
            transformed_key=None, master_key=None, payload=Container(cred_check=None, xml=db.tree)
        ),
    )  # fmt: skip
    data = KDBX.build(
        kdbx3,
        password=password,
        keyfile=str(keyfile) if keyfile else None,
        transformed_key=None,
        decrypt=True,
    )
    path.write_bytes(data)
