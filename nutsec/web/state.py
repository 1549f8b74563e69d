"""The server's state for the one person using it: the store, the breach source and the audit
open in the browser. Opened lazily inside the worker thread (SQLite connections stay in their
thread); closed when the server stops."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nutsec.web.config import WebConfig

if TYPE_CHECKING:
    from nutsec.audit.sitting import Sitting
    from nutsec.breach.model import BreachSource
    from nutsec.store.sqlite import SqliteAuditStore


class WebState:
    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self._store: SqliteAuditStore | None = None
        self._source: BreachSource | None = None
        #: The audit being taken in the browser (holds its lock), or None.
        self.sitting: Sitting | None = None
        #: Results kept between a POST and the GET page it redirects to (post/redirect/get),
        #: by a random key: e.g. the one-password verdict (never the password itself).
        self.results: dict[str, object] = {}
        #: The trainer's demo, worked out once (it looks nothing up and saves nothing).
        self.demo: object | None = None

    def keep(self, result: object) -> str:
        """Keep `result` for the page a POST redirects to; the key for that page's address.
        Only the last few are kept."""
        import secrets

        key = secrets.token_urlsafe(12)
        self.results[key] = result
        while len(self.results) > 8:
            del self.results[next(iter(self.results))]
        return key

    def store(self) -> SqliteAuditStore:
        if self._store is None:
            from nutsec.store.sqlite import open_store

            self._store = open_store(self.config.data_dir)
        return self._store

    def has_store(self) -> bool:
        """Whether audits were ever saved here (reading pages never create the data folder)."""
        from nutsec.store.sqlite import store_exists

        return self._store is not None or store_exists(self.config.data_dir)

    def source(self) -> BreachSource:
        if self._source is None:
            from nutsec.breach.sources import build_breach_source

            self._source = build_breach_source(
                offline=self.config.offline,
                hibp_url=self.config.hibp_url,
                hibp_corpus=self.config.hibp_corpus,
            )
        return self._source

    def close(self) -> None:
        """Leave the audit (everything is saved already) and close the store and the source."""
        if self.sitting is not None:
            self.sitting.stop()
            self.sitting = None
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._source is not None:
            self._source.close()
            self._source = None
