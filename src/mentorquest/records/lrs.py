"""Talking to a learning record store: POST and GET of statements, Basic auth, retries.

POST URL/statements with `X-Experience-API-Version: 1.0.3`. Connection failures, 429
and 5xx answers are retried with a growing pause; refused credentials and an unreachable
LRS are a clear error; an answer about the statements themselves (400, 409, 413) is an
`LrsRejected`, which `records.push` handles statement by statement.

What is sent goes to the address given and nowhere else: a redirect is never followed
(urllib would turn a redirected POST into a GET, and send the credentials on to whatever
host the answer names); the push stops naming where it leads. Credentials may be given in
the address (`https://user:password@lrs.example/xapi`); they are sent as Basic auth and
never shown. A statement counts as stored only when the LRS acknowledges it: its answer
lists the ids sent (an LRS may leave out those it already held, which are then looked up
one by one); anything else is `LrsUnacknowledged`. Waiting is bounded: CONNECT_TIMEOUT to
connect, READ_TIMEOUT for each answer, and a post that timed out is not sent again (it may
have arrived).
"""

from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from mentorquest.errors import MentorquestError, UsageError
from mentorquest.textsafe import clip, url_shown

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
CONNECT_TIMEOUT = 10.0  # seconds to connect
READ_TIMEOUT = 30.0  # seconds for each answer (and each read of it)
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # a page of statements; an acknowledgement is far less
TIMEOUTS_HELP = (
    f"mentorquest waits {CONNECT_TIMEOUT:.0f} s to connect and {READ_TIMEOUT:.0f} s for each answer"
)


class LrsError(MentorquestError):
    """The learning record store refused the statements or could not be reached."""


class LrsRejected(LrsError):
    """The LRS answered a request with an error about the statements themselves (400, 409,
    413, ...): the push goes on, statement by statement, and counts what failed."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class LrsUnacknowledged(LrsError):
    """The LRS answered a post without acknowledging the statements (not a JSON list of
    their ids): none of them counts as stored."""


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(the address without user and password, the user, the password) of an LRS address."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:  # e.g. "http://[::1": an IPv6 address not closed
        raise LrsError(
            f"'{url_shown(url)}' is not an LRS address (e.g. https://lrs.example.org/xapi)"
        ) from None
    if "@" not in parts.netloc:
        return url.strip(), None, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    bare = urllib.parse.urlunsplit(parts._replace(netloc=host))
    return bare, urllib.parse.unquote(user), urllib.parse.unquote(password) if colon else None


class _Connections:
    """http.client connections whose socket waits `connect` seconds to connect (the
    request's timeout) and then `read` seconds for every answer."""

    @staticmethod
    def plain(read: float) -> type[http.client.HTTPConnection]:
        class Plain(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                self.sock.settimeout(read)

        return Plain

    @staticmethod
    def tls(read: float) -> type[http.client.HTTPSConnection]:
        class Tls(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                self.sock.settimeout(read)

        return Tls


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Every redirect is an HTTPError, which `_request` reports: urllib's own handler would
    first read the new address (and fail on one that is not an address at all)."""

    def http_error_302(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
    ) -> None:
        raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(read_timeout: float) -> urllib.request.OpenerDirector:
    plain, tls = _Connections.plain(read_timeout), _Connections.tls(read_timeout)

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(plain, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(tls, req, context=self._context)  # type: ignore[attr-defined]

    return urllib.request.build_opener(_NoRedirects, Http, Https)


class Lrs:
    def __init__(
        self,
        url: str,
        user: str | None = None,
        password: str | None = None,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        try:
            bare, in_user, in_password = split_credentials(url)
            parsed = urllib.parse.urlsplit(bare)
            valid = parsed.scheme in ("http", "https") and bool(parsed.hostname)
            parsed.port  # noqa: B018 - a port that is not a number raises here
        except ValueError:  # a port that is not a number
            valid = False
        if not valid:
            raise LrsError(
                f"'{url_shown(url)}' is not an LRS address (e.g. https://lrs.example.org/xapi)"
            )
        if parsed.query or parsed.fragment:
            raise LrsError(
                f"'{url_shown(url)}' has a query or fragment; give the LRS's address alone "
                "(statements go to ADDRESS/statements)"
            )
        if in_user is not None:
            if user is not None or password is not None:
                raise UsageError(
                    "give the LRS credentials once: in the address (https://USER:PASSWORD@...) "
                    "or as --user and --password, not both"
                )
            user, password = in_user, in_password
        self.endpoint = bare.rstrip("/") + "/statements"
        self.headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
        self.credentials: str | None = None
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self.credentials = f"Basic {token}"
        self.retries = retries
        self.backoff = backoff
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._open = _opener(read_timeout).open

    def _request(self, method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=body, method=method, headers=self.headers)
            if self.credentials is not None:
                # Never copied onto a redirected request (none is followed anyway).
                request.add_unredirected_header("Authorization", self.credentials)
            try:
                with self._open(request, timeout=self.connect_timeout) as response:
                    return response.status, response.read(MAX_ANSWER_BYTES)
            except urllib.error.HTTPError as error:
                detail = clip(_read(error, 300).decode("utf-8", "replace"), 300)
                if 300 <= error.code < 400:
                    raise LrsError(
                        self._redirected(error.code, error.headers.get("Location"))
                    ) from None
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
            except TimeoutError:
                # The request went: a post may have arrived, so it is not sent again.
                raise LrsError(
                    f"the LRS at {self.endpoint} did not answer within {self.read_timeout:g} s "
                    f"({self._timeouts()})"
                ) from None
            except urllib.error.URLError as error:
                if isinstance(error.reason, TimeoutError):
                    raise LrsError(
                        f"cannot reach the LRS at {self.endpoint}: no connection within "
                        f"{self.connect_timeout:g} s ({self._timeouts()})"
                    ) from None
                if attempt >= self.retries:
                    raise LrsError(
                        f"cannot reach the LRS at {self.endpoint}: {clip(str(error.reason), 200)}"
                    ) from None
            except (ConnectionError, http.client.HTTPException) as error:
                if attempt >= self.retries:
                    raise LrsError(
                        f"cannot reach the LRS at {self.endpoint}: {clip(str(error), 200)}"
                    ) from None
            attempt += 1
            time.sleep(self.backoff * 2 ** (attempt - 1))

    def _timeouts(self) -> str:
        return (
            f"mentorquest waits {self.connect_timeout:g} s to connect and "
            f"{self.read_timeout:g} s for each answer"
        )

    def _redirected(self, status: int, location: str | None) -> str:
        if not location:
            return f"the LRS at {self.endpoint} answered {status} (a redirect) without saying where"
        try:
            target = urllib.parse.urljoin(self.endpoint, location)
            bare = split_credentials(target)[0]
            base = urllib.parse.urlsplit(bare)._replace(query="", fragment="")
        except (ValueError, LrsError):
            return (
                f"the LRS at {self.endpoint} answered {status}, redirecting to "
                f"'{url_shown(location)}', which is not an address; mentorquest sends "
                "statements to the address given and never on to another"
            )
        suggestion = urllib.parse.urlunsplit(base).rstrip("/").removesuffix("/statements")
        return (
            f"the LRS at {self.endpoint} answered {status}, redirecting to {url_shown(target)}: "
            "mentorquest sends statements to the address given and never on to another; if "
            f"that is your LRS, give --lrs {url_shown(suggestion)}"
        )

    def post(self, statements: list[dict[str, Any]]) -> list[str]:
        return self.post_texts(
            [json.dumps(s, ensure_ascii=False) for s in statements],
            [str(s.get("id", "")) for s in statements],
        )

    def post_texts(self, texts: list[str], ids: list[str]) -> list[str]:
        """POST statements given as JSON texts, as one batch (stored all or none), and return
        the ids of those the LRS acknowledged.

        The LRS's answer must be a JSON list of statement ids sent (xAPI: the ids stored).
        An id sent but left out (an LRS leaves out what it already held; ralph answers 204
        when it held them all) counts only if the LRS then says it holds it. An answer that
        is not such a list raises LrsUnacknowledged."""
        body = ("[" + ",".join(texts) + "]").encode("utf-8")
        status, data = self._request("POST", self.endpoint, body)
        listed = self._acknowledged(status, data, ids)
        held = self.holding([sid for sid in ids if sid not in listed])
        return [sid for sid in ids if sid in listed or sid in held]

    def _acknowledged(self, status: int, data: bytes, ids: list[str]) -> set[str]:
        if status == 204 or (not data.strip() and status in (200, 201)):
            return set()
        try:
            answer = json.loads(data)
        except (ValueError, RecursionError):
            answer = None
        sent = set(ids)
        if not (isinstance(answer, list) and all(isinstance(i, str) for i in answer)):
            shown = clip(data[:200].decode("utf-8", "replace"), 80)
            raise LrsUnacknowledged(
                f"not acknowledged: the LRS at {self.endpoint} answered {status} with "
                f"'{shown}', not the list of the ids sent; not counted as sent"
            )
        strangers = [i for i in answer if i not in sent]
        if strangers:
            raise LrsUnacknowledged(
                f"not acknowledged: the LRS at {self.endpoint} answered {status} with ids it "
                f"was not sent ('{clip(strangers[0], 40)}'); not counted as sent"
            )
        return set(answer)

    def holding(self, ids: list[str]) -> set[str]:
        """Of these statement ids, those the LRS says it holds (GET ?statementId=...)."""
        held: set[str] = set()
        for sid in ids:
            url = self.endpoint + "?" + urllib.parse.urlencode({"statementId": sid})
            try:
                _status, data = self._request("GET", url)
                found = json.loads(data)
            except (LrsError, ValueError, RecursionError):
                continue
            if isinstance(found, dict):
                candidates = found.get("statements", [found])
                if isinstance(candidates, list) and any(
                    isinstance(s, dict) and s.get("id") == sid for s in candidates
                ):
                    held.add(sid)
        return held

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


def _read(response: Any, limit: int) -> bytes:
    try:
        data: bytes = response.read(limit)
    except (OSError, http.client.HTTPException):
        return b""
    return data
