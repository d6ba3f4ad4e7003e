"""Talking to a learning record store: POST and GET of statements, Basic auth, retries.

POST URL/statements with `X-Experience-API-Version: 1.0.3`. Connection failures, 429
and 5xx answers are retried with a growing pause; refused credentials and an unreachable
LRS are a clear error; an answer about the statements themselves (400, 409, 413) is an
`LrsRejected`, which `records.push` handles statement by statement.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from mentorquest.errors import MentorquestError

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


class LrsError(MentorquestError):
    """The learning record store refused the statements or could not be reached."""


class LrsRejected(LrsError):
    """The LRS answered a request with an error about the statements themselves (400, 409,
    413, ...): the push goes on, statement by statement, and counts what failed."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Lrs:
    def __init__(
        self,
        url: str,
        user: str | None = None,
        password: str | None = None,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 30.0,
    ) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise LrsError(f"'{url}' is not an LRS address (e.g. https://lrs.example.org/xapi)")
        self.endpoint = url.rstrip("/") + "/statements"
        self.headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout

    def _request(self, method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=body, method=method, headers=self.headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                detail = error.read()[:300].decode("utf-8", "replace")
                if error.code in RETRYABLE and attempt < self.retries:
                    pass
                elif error.code in (401, 403):
                    raise LrsError(
                        f"the LRS at {self.endpoint} refused the credentials ({error.code})"
                    ) from None
                elif error.code in (400, 409, 413, 422):
                    raise LrsRejected(
                        f"the LRS at {self.endpoint} answered {error.code}: {detail}", error.code
                    ) from None
                else:
                    raise LrsError(
                        f"the LRS at {self.endpoint} answered {error.code}: {detail}"
                    ) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt >= self.retries:
                    reason = getattr(error, "reason", error)
                    raise LrsError(f"cannot reach the LRS at {self.endpoint}: {reason}") from None
            attempt += 1
            time.sleep(self.backoff * 2 ** (attempt - 1))

    def post(self, statements: list[dict[str, Any]]) -> list[str]:
        return self.post_texts([json.dumps(s, ensure_ascii=False) for s in statements])

    def post_texts(self, texts: list[str]) -> list[str]:
        """POST statements given as JSON texts, as one batch (stored all or none)."""
        body = ("[" + ",".join(texts) + "]").encode("utf-8")
        status, data = self._request("POST", self.endpoint, body)
        try:
            return list(json.loads(data)) if data else []
        except ValueError:
            return []

    def get(self, **params: str) -> list[dict[str, Any]]:
        """Statements matching the query, following `more` links."""
        found: list[dict[str, Any]] = []
        url = self.endpoint + "?" + urllib.parse.urlencode(params)
        root = urllib.parse.urlparse(self.endpoint)
        while url:
            _status, data = self._request("GET", url)
            page = json.loads(data)
            found.extend(page.get("statements", []))
            more = page.get("more")
            url = urllib.parse.urljoin(f"{root.scheme}://{root.netloc}", more) if more else ""
        return found
