"""A KeePass database's key, derived here in native code and checked against the header before
the database is decrypted: pykeepass is then given the finished key (`transformed_key`).

- AES-KDF (KDBX 3.1, and KDBX 4 files that keep it): N rounds of AES-256-ECB on each half of the
  32-byte composite key. N rounds of ECB on one block are the last block of AES-CBC over N zero
  blocks with that block as the IV, so `cryptography` does it a chunk at a time (about 45 million
  rounds a second per core here, against pykeepass's Python loop of one call per round), the two
  halves in two threads, as KeePassXC does.
- Argon2 (KDBX 4): argon2-cffi, in a thread, so that Ctrl-C stops the wait at once.
- A wrong password is told as soon as the key is known: KDBX 4's header HMAC, or KDBX 3.1's
  stream start bytes (the first 32 bytes of the decrypted payload).
- Parameters past `MAX_AES_ROUNDS`, `MAX_ARGON2_*` are refused before any work: a damaged or
  hostile file must not keep the computer busy for hours (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nutsec.exports.entries import ExportError

#: Told (done, total) while the key is derived, in rounds for AES-KDF; Argon2 is told (0, 1)
#: and (1, 1). The CLI shows a spinner with it; the core prints nothing.
DeriveProgress = Callable[[int, int], None]

#: AES-KDF rounds beyond any real file: KeePassXC's "1 second" is about 45 million here and
#: KeePass's default is 60,000 (or its own 1-second figure). 2 billion is about 45 s here.
MAX_AES_ROUNDS = 2_000_000_000
#: Argon2 bounds: no real setting asks for more than 4 GiB of memory, 1,000 passes, 64 GiB
#: passed over in all (passes x memory; KeePassXC's "1 second" is 64 MiB x about 10) or 256 lanes.
MAX_ARGON2_MEMORY = 4 * 1024**3
MAX_ARGON2_PASSES = 1_000
MAX_ARGON2_WORK = 64 * 1024**3
MAX_ARGON2_LANES = 256

#: Zero blocks encrypted per call: small enough that Ctrl-C and the progress are prompt.
_CHUNK_BLOCKS = 65_536

_AES_KDF = b"\xc9\xd9\xf3\x9ab\x8aD`\xbft\r\x08\xc1\x8aO\xea"
_ARGON2D = b"\xefcm\xdf\x8c)DK\x91\xf7\xa9\xa4\x03\xe3\n\x0c"
_ARGON2ID = b"\x9e)\x8b\x19V\xdbGs\xb2=\xfc>\xc6\xf0\xa1\xe6"


class WrongKey(Exception):
    """The password or key file does not open this database (no detail: it is the key)."""


@dataclass(frozen=True)
class Header:
    """What the key derivation and the early check need from a database's outer header."""

    major: int
    raw: bytes  # the header's bytes, as hashed by KDBX 4
    fields: Any  # pykeepass's parsed dynamic header
    after: bytes  # the 64 bytes after the header (KDBX 4: SHA-256 and HMAC; 3.1: payload start)


def read_header(label: str, data: bytes) -> Header:
    if len(data) < 12:
        raise _damaged(label)
    major = struct.unpack_from("<H", data, 10)[0]
    if major not in (3, 4):
        raise ExportError(
            f"{label} is a KeePass database of a format version nutsec does not know "
            f"({major}). Open it in KeePassXC or KeePass and save it again, then try once more."
        )
    from pykeepass.kdbx_parsing.kdbx import KDBX

    try:
        parsed = KDBX.subcons[0].parse(data)  # the header alone: no key is derived
        fields = parsed.value.dynamic_header
        raw = bytes(parsed.data)
    except Exception:
        raise _damaged(label) from None
    return Header(major, raw, fields, data[len(raw) : len(raw) + 64])


def _damaged(label: str) -> ExportError:
    return ExportError(
        f"{label}: the database is damaged or not complete, so it cannot be read. "
        "Open it in your password manager to check it, or use a backup copy."
    )


def derive_key(
    label: str, header: Header, composite: bytes, progress: DeriveProgress | None = None
) -> bytes:
    """The transformed key pykeepass takes; WrongKey if the header check says it is wrong."""
    try:
        transformed = _derive(label, header, composite, progress)
    except ExportError:
        raise
    except (KeyError, AttributeError, TypeError, ValueError):
        raise _damaged(label) from None
    _check(label, header, transformed)
    return transformed


def _derive(label: str, header: Header, composite: bytes, progress: DeriveProgress | None) -> bytes:
    fields = header.fields
    if header.major == 3:
        seed = bytes(fields.transform_seed.data)
        return aes_kdf(label, seed, int(fields.transform_rounds.data), composite, progress)
    kdf = fields.kdf_parameters.data.dict
    uuid = bytes(kdf["$UUID"].value)
    if uuid == _AES_KDF:
        return aes_kdf(label, bytes(kdf["S"].value), int(kdf["R"].value), composite, progress)
    if uuid in (_ARGON2D, _ARGON2ID):
        return _argon2(label, kdf, uuid == _ARGON2ID, composite, progress)
    raise ExportError(
        f"{label} uses a way of protecting its key that nutsec does not know. Open it in "
        "KeePassXC and choose Argon2 or AES-KDF in Database Security, then try again."
    )


def aes_kdf(
    label: str, seed: bytes, rounds: int, composite: bytes, progress: DeriveProgress | None = None
) -> bytes:
    """SHA-256 of `rounds` AES-256 encryptions of each 16-byte half of `composite`."""
    if rounds > MAX_AES_ROUNDS or rounds < 0:
        raise _too_costly(label, f"{rounds:,} AES-KDF rounds", f"{MAX_AES_ROUNDS:,}")
    if len(seed) != 32 or len(composite) != 32:
        raise ValueError("AES-KDF takes a 32-byte seed and key")
    halves: list[bytes] = [composite[:16], composite[16:]]
    done = [0, 0]
    stop = threading.Event()
    failed: list[BaseException] = []

    def run(half: int) -> None:
        try:
            halves[half] = _aes_rounds(seed, halves[half], rounds, stop, done, half)
        except BaseException as error:  # handed to the waiting thread
            failed.append(error)

    workers = [threading.Thread(target=run, args=(h,), daemon=True) for h in (0, 1)]
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            while worker.is_alive():
                worker.join(0.1)
                if progress:
                    progress(min(done), rounds)
    finally:
        stop.set()  # on Ctrl-C the workers end within one chunk
    if failed:
        raise failed[0]
    if progress:
        progress(rounds, rounds)
    return hashlib.sha256(halves[0] + halves[1]).digest()


def _aes_rounds(
    seed: bytes, block: bytes, rounds: int, stop: threading.Event, done: list[int], half: int
) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.AES(seed), modes.CBC(block)).encryptor()
    zeros = bytes(16 * _CHUNK_BLOCKS)
    out = bytearray(16 * _CHUNK_BLOCKS + 15)
    last = block
    left = rounds
    while left > 0:
        if stop.is_set():
            raise KeyboardInterrupt
        n = min(left, _CHUNK_BLOCKS)
        written = encryptor.update_into(memoryview(zeros)[: 16 * n], out)
        last = bytes(out[written - 16 : written])
        left -= n
        done[half] = rounds - left
    return last


def _argon2(
    label: str, kdf: Any, argon2id: bool, composite: bytes, progress: DeriveProgress | None
) -> bytes:
    passes, memory, lanes = int(kdf["I"].value), int(kdf["M"].value), int(kdf["P"].value)
    if passes > MAX_ARGON2_PASSES:
        raise _too_costly(label, f"{passes:,} Argon2 passes", f"{MAX_ARGON2_PASSES:,}")
    if memory > MAX_ARGON2_MEMORY:
        raise _too_costly(
            label,
            f"{memory // 1024**2:,} MiB of Argon2 memory",
            f"{MAX_ARGON2_MEMORY // 1024**2:,} MiB",
        )
    if passes * memory > MAX_ARGON2_WORK:
        raise _too_costly(
            label,
            f"{passes:,} Argon2 passes over {memory // 1024**2:,} MiB",
            f"{MAX_ARGON2_WORK // 1024**3} GiB passed over in all",
        )
    if lanes > MAX_ARGON2_LANES:
        raise _too_costly(label, f"{lanes:,} Argon2 lanes", f"{MAX_ARGON2_LANES}")
    from argon2.low_level import Type, hash_secret_raw

    result: list[bytes] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            result.append(
                hash_secret_raw(
                    secret=composite,
                    salt=bytes(kdf["S"].value),
                    time_cost=passes,
                    memory_cost=memory // 1024,
                    parallelism=lanes,
                    hash_len=32,
                    type=Type.ID if argon2id else Type.D,
                    version=int(kdf["V"].value),
                )
            )
        except BaseException as error:  # handed to the waiting thread
            failed.append(error)

    if progress:
        progress(0, 1)
    # A daemon thread: on Ctrl-C the process ends without waiting for the library to finish.
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if failed:
        raise ValueError("Argon2 refused the parameters") from None
    if progress:
        progress(1, 1)
    return result[0]


def _too_costly(label: str, asked: str, bound: str) -> ExportError:
    return ExportError(
        f"{label} asks for {asked}, more than any real KeePass setting (nutsec allows up to "
        f"{bound}), so it was not opened: the file may be damaged or made to stall."
    )


def _check(label: str, header: Header, transformed: bytes) -> None:
    """WrongKey unless the key fits: KDBX 4's header HMAC, KDBX 3.1's stream start bytes."""
    seed = bytes(header.fields.master_seed.data)
    if header.major == 4:
        if len(header.after) < 64:
            raise _damaged(label)
        if not hmac.compare_digest(hashlib.sha256(header.raw).digest(), header.after[:32]):
            raise _damaged(label)
        hmac_key = hashlib.sha512(
            b"\xff" * 8 + hashlib.sha512(seed + transformed + b"\x01").digest()
        ).digest()
        expected = hmac.new(hmac_key, header.raw, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, header.after[32:64]):
            raise WrongKey
        return
    start = bytes(header.fields.stream_start_bytes.data)
    cipher = header.fields.cipher_id.data
    iv = bytes(header.fields.encryption_iv.data)
    master = hashlib.sha256(seed + transformed).digest()
    if cipher == "aes256":
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        decryptor = Cipher(algorithms.AES(master), modes.CBC(iv)).decryptor()
        first = decryptor.update(header.after[:32])
    elif cipher == "chacha20":
        from Cryptodome.Cipher import ChaCha20

        first = ChaCha20.new(key=master, nonce=iv).decrypt(header.after[:32])
    else:
        return  # Twofish: pykeepass's own check tells a wrong key, after decrypting
    if len(header.after) < 32:
        raise _damaged(label)
    if not hmac.compare_digest(first, start):
        raise WrongKey
