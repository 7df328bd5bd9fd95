"""The console's pages on aiohttp: every page a Jinja template over one query, reads in a thread of their own."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

import jinja2
import redis
from aiohttp import web
from markupsafe import Markup

from alerts.message import Alert
from alerts.spine.cleaning import clean_text
from alerts.spine.keyspace import Keyspace
from config.settings import Settings
from crawler.app.console import exports
from crawler.app.console.access import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Access,
    Session,
    csrf_ok,
    users_from_environment,
)
from crawler.app.console.desk import AUDIT_PAGE, Desk, DeskError, silenced_by
from crawler.app.console.index import IncidentIndex, Summary, summarise
from crawler.app.console.keys import ConsoleKeys
from crawler.app.console.labels import LANGUAGES, words
from crawler.app.console.queries import (
    BadFilter,
    Choices,
    Filters,
    choices,
    map_data,
    timeline,
    toll_chart,
)
from crawler.detect.text.normalise import normalise, normalise_with_offsets
from crawler.incidents.store import IncidentStore

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
BASE = "/console"
LANG_COOKIE = "raqib_lang"
UNSUBSCRIBE = "/subscriptions/unsubscribe"  # a reader's link lands here (its token for a login)
MAX_EXPORT = 50_000
SESSION = web.RequestKey("session", object)  # the Session, or None (aiohttp >= 3.12)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _finalize(value: Any) -> Any:
    # Every string a template prints is cleaned of controls and direction overrides (then
    # autoescaped); Markup is the console's own and passes as it is.
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value, one_line=True)
    return "" if value is None else value


def _when(stamp: float | datetime | str | None) -> str:
    if not stamp:
        return "—"
    if isinstance(stamp, str):
        return stamp.replace("T", " ")[:16]
    moment = stamp if isinstance(stamp, datetime) else datetime.fromtimestamp(stamp, UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["urlencode_query"] = lambda query: urlencode(query)
    return env


def segments(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A sentence cut at its marks: (piece, marked) pairs, for <mark> without raw HTML."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(marks):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def marks_of(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the matched terms occur in `text` (compared normalised, as detection compares)."""
    folded, origin = normalise_with_offsets(text)
    marks = []
    for term in {normalise(t) for t in terms if t.strip()}:
        at = folded.find(term)
        while at != -1:
            marks.append((origin[at], origin[at + len(term) - 1] + 1))
            at = folded.find(term, at + len(term))
    return marks


def evidence_of(alert: Alert | None, titles: list[str]) -> list[list[tuple[str, bool]]]:
    """The alert's evidence sentences with their marks; before detection kept sentences (older
    alerts), the stories' titles with the matched terms marked in them."""
    if alert is None:
        return []
    if alert.evidence:
        return [segments(e.text, list(e.marks)) for e in alert.evidence]
    shown = []
    for title in dict.fromkeys(titles):
        marks = marks_of(title, list(alert.matched))
        if marks:
            shown.append(segments(title, marks))
    return shown


class Console:
    """The console over one Redis: mount it on an aiohttp application (the daemon's, or its own)."""

    def __init__(
        self, settings: Settings, client: redis.Redis, keys: Keyspace,
        host: str | None = None, environ: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.options = settings.console
        self.client = client
        self.keyspace = keys
        self.keys = ConsoleKeys(keys.prefix)
        self.store = IncidentStore(client, keys, settings.incidents)
        self.index = IncidentIndex(client, self.keys, self.store)
        self.access = Access(
            client, self.keys, users_from_environment(environ),
            host if host is not None else self.options.host, self.options.session_hours * 3600,
            self.options.login_attempts, self.options.login_window_seconds,
        )  # fmt: skip
        self.desk = Desk(settings, client, keys, self.store)
        self.templates = environment()
        self._choices: tuple[object, Choices] = (None, choices([]))
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="raqib-console")
        tiles = self.options.tile_url
        tile_origin = "{0.scheme}://{0.netloc}".format(urlsplit(tiles)) if tiles else ""
        if "{s}" in tile_origin:
            tile_origin = tile_origin.replace("{s}", "*")
        self.csp = (
            "default-src 'none'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data: {tile_origin}".strip()
            + "; connect-src 'self'; "
            "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )

    # -- mounting -------------------------------------------------------------------------------

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/", self._home)
        app.router.add_get("/incidents", self._list)
        app.router.add_get("/incidents.{fmt:csv|geojson|atom|json}", self._export)
        app.router.add_get("/incidents/{id}", self._incident)
        app.router.add_get("/incidents/{id}.json", self._incident_json)
        app.router.add_get("/map", self._map)
        app.router.add_get("/map.json", self._map_json)
        app.router.add_get("/feeds", self._feeds)
        app.router.add_get("/deliveries", self._deliveries)
        app.router.add_post("/deliveries/redrive", self._redrive)
        app.router.add_post("/incidents/{id}/feedback", self._give_feedback)
        app.router.add_post("/feedback/undo", self._undo_feedback)
        app.router.add_get("/silences", self._silences)
        app.router.add_get("/silences.json", self._silences_json)
        app.router.add_post("/silences", self._add_silence)
        app.router.add_post("/silences/expire", self._expire_silence)
        app.router.add_get("/subscriptions", self._subscriptions)
        app.router.add_get("/subscriptions.json", self._subscriptions_json)
        app.router.add_post("/subscriptions", self._add_subscription)
        app.router.add_post("/subscriptions/change", self._change_subscription)
        app.router.add_get(UNSUBSCRIBE, self._unsubscribe_form)
        app.router.add_post(UNSUBSCRIBE, self._unsubscribe)
        app.router.add_get("/audit", self._audit)
        app.router.add_get("/audit.json", self._audit_json)
        app.router.add_get("/login", self._login_form)
        app.router.add_post("/login", self._login)
        app.router.add_post("/logout", self._logout)
        app.router.add_get("/language/{lang:ar|en}", self._switch_language)
        app.router.add_static("/static", HERE / "static", append_version=False)
        return app

    def install(self, parent: web.Application) -> None:
        """Under /console on another application (the daemon's status server)."""
        parent.add_subapp(BASE, self.application())

    async def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    async def _run(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, partial(function, *args))

    # -- access ---------------------------------------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        public = request.path.startswith(f"{BASE}/static/") or request.path in (
            f"{BASE}/login", f"{BASE}/language/ar", f"{BASE}/language/en", f"{BASE}{UNSUBSCRIBE}",
        )  # fmt: skip
        token = request.cookies.get(SESSION_COOKIE)
        session = await self._run(self.access.session, token) if token else None
        request[SESSION] = session
        try:
            if self.access.login_to_look and session is None and not public:
                if request.method == "GET" and not request.path.endswith(
                    (*exports.FORMATS, "json")
                ):
                    target = f"{BASE}/login?" + urlencode({"next": request.path_qs})
                    raise web.HTTPSeeOther(target)
                raise web.HTTPUnauthorized(text="log in first")
            # The login has its own CSRF check; a reader's unsubscribe token stands in for both
            # a login and a CSRF token (only the mail's reader has it, and it does one thing).
            if request.method == "POST" and request.path not in (
                f"{BASE}/login", f"{BASE}{UNSUBSCRIBE}",
            ):  # fmt: skip
                if session is None:
                    raise web.HTTPForbidden(text="log in to change anything")
                form = await request.post()
                if not csrf_ok(cast(str | None, form.get("csrf")), session.csrf):
                    raise web.HTTPForbidden(text="the CSRF token is missing or wrong")
            response = await handler(request)
        except web.HTTPException as exc:
            self._secure(exc)
            raise
        self._secure(response)
        return response

    def _secure(self, response: web.StreamResponse) -> None:
        response.headers["Content-Security-Policy"] = self.csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")

    @staticmethod
    def _cookie(response: web.StreamResponse, name: str, value: str, request: web.Request,
                max_age: int | None = None) -> None:  # fmt: skip
        response.set_cookie(
            name, value, httponly=True, samesite="Strict", path=BASE, secure=request.secure,
            max_age=max_age,
        )  # fmt: skip

    # -- rendering ------------------------------------------------------------------------------

    def _language(self, request: web.Request) -> str:
        lang = request.cookies.get(LANG_COOKIE, "")
        return lang if lang in LANGUAGES else self.options.language

    def _page(
        self, request: web.Request, template: str, status: int = 200, lang: str | None = None,
        **context: Any,
    ) -> web.Response:  # fmt: skip
        lang = lang or self._language(request)
        session = cast(Session | None, request.get(SESSION))
        csrf = (
            session.csrf
            if session
            else request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        )
        html = self.templates.get_template(template).render(
            base=BASE, lang=lang, dir="rtl" if lang == "ar" else "ltr", w=words(lang),
            session=session, csrf=csrf, path=request.path_qs, login_to_look=self.access.login_to_look,
            **context,
        )  # fmt: skip
        response = web.Response(text=html, content_type="text/html", charset="utf-8", status=status)
        if session is None and request.cookies.get(CSRF_COOKIE) != csrf:
            self._cookie(response, CSRF_COOKIE, csrf, request)
        return response

    def _filters(self, request: web.Request) -> Filters:
        try:
            return Filters.parse(request.query)
        except BadFilter as exc:
            raise web.HTTPBadRequest(text=str(exc)) from exc

    def _describe(self, lang: str) -> Callable[[Summary], str]:
        w = words(lang)

        def describe(row: Summary) -> str:
            place = (row.place if lang == "ar" else row.place_en or row.place) or w["unknown"]
            kind = w["types"].get(row.incident_type or "", row.incident_type or w["unknown"])
            toll = f"{row.killed or 0} {w['killed']}, {row.injured or 0} {w['injured']}"
            return f"{place} — {kind} — {toll}"

        return describe

    # -- pages ----------------------------------------------------------------------------------

    async def _home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{BASE}/incidents")

    async def _list(self, request: web.Request) -> web.StreamResponse:
        filters = self._filters(request)
        try:
            page = max(1, int(request.query.get("page", "1")))
        except ValueError:
            page = 1
        rows = await self._run(self.index.rows)
        found = filters.apply(rows)
        if self._choices[0] is not rows:  # the index hands out a new list when incidents change
            self._choices = (rows, choices(rows))
        size = self.options.page_size
        shown = found[(page - 1) * size : page * size]
        silences = await self._run(self.desk.active_silences)
        return self._page(
            request, "incidents.html", filters=filters, rows=shown, total=len(found), page=page,
            pages=max(1, -(-len(found) // size)), choices=self._choices[1],
            timeline=timeline(found, filters.span), query=filters.query(),
            silenced=silenced_by(silences, shown),
        )  # fmt: skip

    async def _export(self, request: web.Request) -> web.StreamResponse:
        fmt = request.match_info["fmt"]
        filters = self._filters(request)
        rows = filters.apply(await self._run(self.index.rows))[:MAX_EXPORT]
        lang = self._language(request)
        if fmt == "json" and request.query.get("full") != "1":
            body = json.dumps(
                {"count": len(rows), "incidents": [r.to_json() for r in rows]}, ensure_ascii=False
            )
        else:
            records = await self._run(self._records, rows)
            base_url = (
                self.options.public_url.rstrip("/") or f"{request.scheme}://{request.host}{BASE}"
            )
            body = exports.render(
                fmt, records, base_url, words(lang)["brand"] + " — " + words(lang)["incidents"],
                self._describe(lang),
            )  # fmt: skip
        response = web.Response(
            body=body.encode(), headers={"Content-Type": exports.MEDIA_TYPES[fmt]}
        )
        if fmt != "json":
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
            response.headers["Content-Disposition"] = (
                f'attachment; filename="raqib-incidents-{stamp}.{fmt}"'
            )
        return response

    def _records(self, rows: list[Summary]) -> list[exports.Record]:
        return records_of(self.store, rows)

    async def _map(self, request: web.Request) -> web.StreamResponse:
        filters = self._filters(request)
        return self._page(
            request, "map.html", filters=filters, query=filters.query(),
            tile_url=self.options.tile_url, tile_attribution=self.options.tile_attribution,
        )  # fmt: skip

    async def _map_json(self, request: web.Request) -> web.StreamResponse:
        filters = self._filters(request)
        rows = filters.apply(await self._run(self.index.rows))
        lang = self._language(request)
        data = map_data(rows, english=lang == "en")
        data["labels"] = {t: words(lang)["types"].get(t, t) for t in data["types"]}
        return web.json_response(
            data, dumps=partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
        )

    def _one(self, incident_id: str) -> dict[str, Any] | None:
        raw = cast(dict[str, str], self.client.hgetall(self.keys.incident(incident_id)))
        if not raw.get("state"):
            return None
        incident = self.store.get(incident_id)
        if incident is None:
            return None
        history = self.store.history(incident_id)
        alert = Alert.model_validate_json(raw["alert"]) if raw.get("alert") else None
        changed = self.client.zscore(self.keys.incidents, incident_id) or 0.0
        summary, _ = summarise(
            incident, changed, json.loads(raw["alert"]) if raw.get("alert") else None,
            history[-1] if history else None,
        )  # fmt: skip
        return {"incident": incident, "history": history, "alert": alert, "summary": summary}

    def _desk_of(self, incident_id: str, english: bool) -> dict[str, Any]:
        """What the incident page shows of analysts' work: feedback, marks, silences, choices."""
        marks: dict[str, Any] = {"verdict": None, "corrections": {}, "merged_into": None}
        marks.update(self.store.feedback_on(incident_id))
        said = self.desk.said_of(incident_id)
        rows = self.index.rows()
        others = [r for r in rows if r.id != incident_id and not r.dismissed][:300]
        return {
            "marks": marks, "said": said, "places": self.desk.places(english), "others": others,
            "silences": self.desk.active_silences(),
        }  # fmt: skip

    async def _incident(
        self, request: web.Request, status: int = 200, error: str = "", shown: str = ""
    ) -> web.StreamResponse:
        incident_id = shown or request.match_info["id"]
        found = await self._run(self._one, incident_id)
        if found is None:
            return self._page(request, "missing.html", status=404)
        incident = found["incident"]
        evidence = evidence_of(found["alert"], [s.title for s in incident.stories if s.title])
        tolls = sorted(
            found["incident"].tolls, key=lambda t: t.at or datetime.min.replace(tzinfo=UTC)
        )
        desk = await self._run(self._desk_of, incident_id, self._language(request) == "en")
        alert = found["alert"]
        holding = [
            s for s in desk.pop("silences")
            if (s.matches(alert) if alert is not None else incident_id in silenced_by([s], [found["summary"]]))
        ]  # fmt: skip
        return self._page(
            request, "incident.html", status=status, evidence=evidence, tolls=tolls,
            chart=toll_chart(tolls), holding=holding, problem=error,
            done=request.query.get("done", ""), **desk, **found,
        )  # fmt: skip

    # -- feedback ---------------------------------------------------------------------------------

    async def _give_feedback(self, request: web.Request) -> web.StreamResponse:
        incident_id = request.match_info["id"]
        form = await request.post()
        session = cast(Session, request[SESSION])
        try:
            given = await self._run(self.desk.give, incident_id, form, session.user)
        except DeskError as exc:
            return await self._incident(request, status=400, error=str(exc))
        log.info("console: %s gave feedback %s on %s", session.user, given.id, incident_id)
        raise web.HTTPSeeOther(f"{BASE}/incidents/{incident_id}?" + urlencode({"done": given.kind}))

    async def _undo_feedback(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = cast(Session, request[SESSION])
        feedback_id = str(form.get("feedback") or "")[:100]
        try:
            undone = await self._run(self.desk.undo, feedback_id, session.user)
        except DeskError as exc:
            back = str(form.get("incident") or "")[:200]
            if not back:
                raise web.HTTPBadRequest(text=str(exc)) from None
            return await self._incident(request, status=409, error=str(exc), shown=back)
        log.info("console: %s undid feedback %s", session.user, feedback_id)
        raise web.HTTPSeeOther(f"{BASE}/incidents/{undone.incident}?" + urlencode({"done": "undo"}))

    # -- silences ---------------------------------------------------------------------------------

    def _silence_state(self) -> dict[str, Any]:
        now = time.time()
        silences = sorted(self.desk.silences.list(), key=lambda s: (s.ends_at <= now, -s.ends_at))
        return {"silences": silences, "now": now, "districts": self.desk.districts(),
                "regions": self.desk.regions()}  # fmt: skip

    async def _silences(self, request: web.Request, status: int = 200,
                        error: str = "") -> web.StreamResponse:  # fmt: skip
        state = await self._run(self._silence_state)
        places = await self._run(self.desk.places, self._language(request) == "en")
        rows = await self._run(self.index.rows)
        form = dict(request.query) if status == 200 else dict(await request.post())
        return self._page(
            request, "silences.html", status=status, problem=error, places=places,
            watchlists=sorted({r.watchlist for r in rows if r.watchlist}),
            done=request.query.get("done", ""), released=request.query.get("released", ""),
            form=form, **state,
        )  # fmt: skip

    async def _silences_json(self, request: web.Request) -> web.StreamResponse:
        state = await self._run(self._silence_state)
        return web.json_response(
            {"silences": [s.summary(state["now"]) for s in state["silences"]]},
            dumps=partial(json.dumps, ensure_ascii=False),
        )

    async def _add_silence(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = cast(Session, request[SESSION])
        try:
            added = await self._run(self.desk.add_silence, form, session.user)
        except DeskError as exc:
            return await self._silences(request, status=400, error=str(exc))
        log.info("console: %s added silence %s", session.user, added.id)
        raise web.HTTPSeeOther(f"{BASE}/silences?" + urlencode({"done": added.id}))

    async def _expire_silence(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = cast(Session, request[SESSION])
        try:
            ended, released = await self._run(
                self.desk.expire_silence, str(form.get("silence") or "")[:100], session.user
            )
        except DeskError as exc:
            return await self._silences(request, status=409, error=str(exc))
        log.info("console: %s expired silence %s (%d released)", session.user, ended.id, released)
        raise web.HTTPSeeOther(
            f"{BASE}/silences?" + urlencode({"done": ended.id, "released": released})
        )

    # -- subscriptions ----------------------------------------------------------------------------

    def _subscription_state(self) -> dict[str, Any]:
        return {"subscriptions": self.desk.subscription_rows(),
                "unsubscribed": self.desk.unsubscribed(), "regions": self.desk.regions()}  # fmt: skip

    async def _subscriptions(self, request: web.Request, status: int = 200,
                             error: str = "") -> web.StreamResponse:  # fmt: skip
        state = await self._run(self._subscription_state)
        form = {} if status == 200 else dict(await request.post())
        return self._page(
            request, "subscriptions.html", status=status, problem=error, form=form,
            done=request.query.get("done", ""), **state,
        )  # fmt: skip

    async def _subscriptions_json(self, request: web.Request) -> web.StreamResponse:
        rows = await self._run(self.desk.subscription_rows)
        return web.json_response(
            {"subscriptions": rows}, dumps=partial(json.dumps, ensure_ascii=False)
        )

    async def _add_subscription(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = cast(Session, request[SESSION])
        try:
            name = await self._run(self.desk.add_subscription, form, session.user)
        except DeskError as exc:
            return await self._subscriptions(request, status=400, error=str(exc))
        log.info("console: %s added subscription %s", session.user, name)
        raise web.HTTPSeeOther(f"{BASE}/subscriptions?" + urlencode({"done": f"add:{name}"}))

    async def _change_subscription(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = cast(Session, request[SESSION])
        name, action = str(form.get("name") or "")[:200], str(form.get("action") or "")
        try:
            await self._run(self.desk.change_subscription, name, action, session.user)
        except DeskError as exc:
            return await self._subscriptions(request, status=409, error=str(exc))
        log.info("console: %s: subscription %s: %s", session.user, name, action)
        raise web.HTTPSeeOther(f"{BASE}/subscriptions?" + urlencode({"done": f"{action}:{name}"}))

    async def _unsubscribe_form(self, request: web.Request) -> web.StreamResponse:
        token = request.query.get("t", "")[:2000]
        found = await self._run(self.desk.reader, token)
        if found is None:
            return self._page(request, "unsubscribe.html", status=400, reader=None, token="",
                              stopped=False)  # fmt: skip
        return self._page(
            request, "unsubscribe.html", lang=found[2], reader=found, token=token, stopped=False
        )

    async def _unsubscribe(self, request: web.Request) -> web.StreamResponse:
        token = request.query.get("t", "")[:2000]
        found = await self._run(self.desk.stop_mail, token)
        if found is None:
            return self._page(request, "unsubscribe.html", status=400, reader=None, token="",
                              stopped=False)  # fmt: skip
        log.info("console: a reader of %s unsubscribed", found[0])
        return self._page(
            request, "unsubscribe.html", lang=found[2], reader=found, token="", stopped=True
        )

    # -- the audit log ----------------------------------------------------------------------------

    async def _audit(self, request: web.Request) -> web.StreamResponse:
        before = request.query.get("before") or None
        action = request.query.get("action", "")[:100]
        entries = await self._run(self.desk.audit_page, before, action)
        more = len(entries) > AUDIT_PAGE
        entries = entries[:AUDIT_PAGE]
        return self._page(
            request, "audit.html", entries=entries, action=action, before=before or "",
            older=entries[-1].id if more else "",
        )  # fmt: skip

    async def _audit_json(self, request: web.Request) -> web.StreamResponse:
        before = request.query.get("before") or None
        action = request.query.get("action", "")[:100]
        entries = await self._run(self.desk.audit_page, before, action)
        more = len(entries) > AUDIT_PAGE
        entries = entries[:AUDIT_PAGE]
        return web.json_response(
            {"entries": [e.summary() for e in entries], "older": entries[-1].id if more else None},
            dumps=partial(json.dumps, ensure_ascii=False),
        )

    async def _incident_json(self, request: web.Request) -> web.StreamResponse:
        found = await self._run(self._one, request.match_info["id"])
        if found is None:
            raise web.HTTPNotFound(text="no such incident")
        data = json.loads(exports.to_json([(found["summary"], found["incident"])]))["incidents"][0]
        data["history"] = found["history"]
        return web.json_response(data, dumps=partial(json.dumps, ensure_ascii=False))

    def _feed_rows(self) -> list[dict[str, Any]]:
        from crawler.feeds.health import feed_health
        from crawler.feeds.state import FeedStore

        return [
            h.as_dict() for h in feed_health(self.settings, FeedStore(self.client, self.keyspace))
        ]

    async def _feeds(self, request: web.Request) -> web.StreamResponse:
        rows = await self._run(self._feed_rows)
        return self._page(request, "feeds.html", feeds=rows, now=time.time())

    def _delivery_state(self) -> dict[str, Any]:
        from alerts.deadletter import dead_letters
        from alerts.pending import waiting_deliveries

        sent = cast(
            list[tuple[str, dict[str, str]]],
            self.client.xrevrange(self.keyspace.delivery_log, count=200),
        )
        return {
            "pending": [w.summary() for w in waiting_deliveries(self.client, self.keyspace, 200)],
            "sent": [{"id": i, **fields} for i, fields in sent],
            "dead": [d.summary() for d in dead_letters(self.client, self.keyspace, 200)],
        }

    async def _deliveries(self, request: web.Request) -> web.StreamResponse:
        state = await self._run(self._delivery_state)
        done = request.query.get("redriven", "")
        return self._page(request, "deliveries.html", redriven=done, now=time.time(), **state)

    async def _redrive(self, request: web.Request) -> web.StreamResponse:
        from alerts.deadletter import redrive

        form = await request.post()
        ids = None if form.get("all") == "1" else [str(v) for v in form.getall("id", [])][:1000]
        done, _skipped = await self._run(
            redrive, self.client, self.keyspace, ids, self.settings.alerts.idempotency_days
        )
        session = cast(Session, request[SESSION])
        log.info("console: %s re-drove %d dead letter(s)", session.user, len(done))
        raise web.HTTPSeeOther(f"{BASE}/deliveries?" + urlencode({"redriven": len(done)}))

    # -- logging in -----------------------------------------------------------------------------

    async def _login_form(self, request: web.Request) -> web.StreamResponse:
        return self._page(request, "login.html", error="", next=request.query.get("next", ""))

    async def _login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        name, password = str(form.get("name", ""))[:200], str(form.get("password", ""))[:1000]
        target = str(form.get("next", ""))
        if not target.startswith(f"{BASE}/") or target.startswith("//"):
            target = f"{BASE}/incidents"
        w = words(self._language(request))
        if not csrf_ok(cast(str | None, form.get("csrf")), request.cookies.get(CSRF_COOKIE)):
            return self._page(request, "login.html", status=403, error=w["bad_csrf"], next=target)
        address = request.remote or "?"
        if await self._run(self.access.limited, f"addr:{address}", f"name:{name}"):
            log.warning("console: too many login attempts from %s", address)
            return self._page(request, "login.html", status=429, error=w["too_many"], next=target)
        token = await self._run(self.access.login, name, password, address)
        if token is None:
            log.info("console: failed login from %s", address)
            return self._page(
                request, "login.html", status=401, error=w["wrong_login"], next=target
            )
        log.info("console: %s logged in from %s", name, address)
        response = web.HTTPSeeOther(target)
        self._cookie(response, SESSION_COOKIE, token, request, int(self.access.session_seconds))
        raise response

    async def _logout(self, request: web.Request) -> web.StreamResponse:
        await self._run(self.access.logout, request.cookies.get(SESSION_COOKIE))
        response = web.HTTPSeeOther(f"{BASE}/incidents")
        response.del_cookie(SESSION_COOKIE, path=BASE)
        raise response

    async def _switch_language(self, request: web.Request) -> web.StreamResponse:
        target = request.query.get("next", "")
        if not target.startswith(f"{BASE}/") or target.startswith("//"):
            target = f"{BASE}/incidents"
        response = web.HTTPSeeOther(target)
        self._cookie(response, LANG_COOKIE, request.match_info["lang"], request, 365 * 86400)
        raise response


def records_of(store: IncidentStore, rows: list[Summary]) -> list[exports.Record]:
    """The summaries with their whole incidents (for exports), in the summaries' order."""
    whole = {i.id: i for i in store.get_many([r.id for r in rows])}
    return [(r, whole[r.id]) for r in rows if r.id in whole]
