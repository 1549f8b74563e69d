"""A password wrapped so that printing, logging, pickling or JSON-encoding it cannot leak it."""

from __future__ import annotations

from typing import NoReturn


class Secret:
    """Holds a password. Its repr/str are `Secret(***)`; it refuses to be pickled or compared.

    Only code in `nutsec.passwords` and `nutsec.breach` calls `reveal()`. Python strings cannot be
    zeroed, so `wipe()` drops our reference and clears the mutable copy we keep; see
    docs/security.md for what that does and does not guarantee.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Secret holds text only")
        self._value: bytearray | None = bytearray(value.encode("utf-8"))

    def reveal(self) -> str:
        """The password itself. Use it and let go of it at once."""
        if self._value is None:
            raise ValueError("this secret has been wiped")
        return self._value.decode("utf-8")

    def reveal_bytes(self) -> bytes:
        """The password as UTF-8 bytes, for hashing."""
        if self._value is None:
            raise ValueError("this secret has been wiped")
        return bytes(self._value)

    def __len__(self) -> int:
        return 0 if self._value is None else len(self.reveal())

    def __bool__(self) -> bool:
        return bool(self._value)

    @property
    def wiped(self) -> bool:
        return self._value is None

    def wipe(self) -> None:
        """Overwrite the mutable copy with zeros and forget it."""
        value = getattr(self, "_value", None)  # absent if __init__ refused its argument
        if value is not None:
            for i in range(len(value)):
                value[i] = 0
            self._value = None

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return "Secret(***)"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled or copied out of the process")

    def __eq__(self, other: object) -> bool:
        # Comparing secrets is how timing leaks start; reuse is found with keyed fingerprints.
        raise TypeError("Secrets are not compared; use fingerprints")

    __hash__ = None  # type: ignore[assignment]

    def __del__(self) -> None:
        self.wipe()
