"""Security review, promises 1 and 3 on the wire: a redirect is never followed (it could carry the
prefix, or a cookie, to another host) and is `unknown`, never `not_found`."""

from __future__ import annotations

import pytest

from nutsec.breach.model import BreachStatus
from nutsec.breach.range_api import RangePolicy
from nutsec.breach.sources import build_range_source
from nutsec.passwords.secret import Secret
from tests.loopback import Reply, running_range_server

FAST = RangePolicy(total_timeout=5.0, retries=1, backoff=0.01)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_to_another_host_is_not_followed_and_is_unknown(status: int) -> None:
    with running_range_server() as elsewhere, running_range_server() as service:
        elsewhere.add_password("Summer2024!", 0)
        location = f"{elsewhere.url}/range/ABCDE"
        service.default = Reply(status=status, body="", headers={"Location": location})
        source = build_range_source(service.url, policy=FAST)
        try:
            result = source.check(Secret("Summer2024!"))
        finally:
            source.close()
        assert result.status is BreachStatus.UNKNOWN
        assert result.reason == f"unexpected response (HTTP {status})"
        assert len(service.requests) == 1, "a redirect is not a reason to ask again"
        assert elsewhere.requests == [], "the redirect was followed to another host"
