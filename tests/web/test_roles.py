"""Every view checks the person's role on this production: a test per role per view.

The matrix is generated, so a new view is covered the day it is routed:

- the views are every URL pattern under ``/p/<slug>/`` (read from Django's resolver);
- the areas a view opens are the ``require(place, "<area>")`` calls in its source (a view that
  names no area fails here: every view must check a role);
- the roles that may open an area are :data:`showclear.web.floor.roles.AREAS`;
- the HTTP methods a view accepts are its ``require_http_methods`` list (GET and POST if none).

The people: one login per role of the vocabulary on the demo production *Dust and Iron* (its
own five crew logins, plus logins made for its crew member, a cast member and a stunt performer,
and for an investigator added to its roster), a login of another production, and no login.
Allowed: 200 or 302 (a POST-only view answers a GET with 405). Forbidden: 403 (405 for a method
the view never takes), and a signed-out phone is sent to the login page. A forbidden POST
carries a real form (and a valid CSRF token) and records nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from floor_demo import demo_template

from in_process import Client, app_on
from served_process import environment

# Read in a separate process, at collection, before any test configures Django in this one.
# A require() call at the top of a view's body guards every request; one nested in a branch
# (``if request.method == "POST"``, an action) guards only that branch: FORMS must reach it.
ROUTE_TABLE = r"""
import ast, inspect, json, os, textwrap
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings")
import django
django.setup()
from django.urls import URLResolver, get_resolver
from showclear.core.vocabulary import ROLES
from showclear.web.floor.roles import AREAS

def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern

def methods(view):
    while view is not None:
        for name, cell in zip(view.__code__.co_freevars, view.__closure__ or ()):
            if name == "request_method_list":
                return sorted(cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return ["GET", "POST"]

def area_of(node):
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "require" and len(node.args) == 2
            and isinstance(node.args[1], ast.Constant)):
        return node.args[1].value
    return None

def areas(view):
    function = ast.parse(textwrap.dedent(inspect.getsource(view))).body[0]
    always = [area_of(s.value) for s in function.body if isinstance(s, ast.Expr)]
    always = [a for a in always if a]
    every = [a for a in map(area_of, ast.walk(function)) if a]
    return always, [a for a in every if a not in always]

routes = []
for route, pattern in walk(get_resolver().url_patterns):
    view = inspect.unwrap(pattern.callback)
    always, branches = areas(view)
    routes.append({
        "name": pattern.name,
        "route": route,
        "view": f"{view.__module__}.{view.__qualname__}",
        "areas": always,
        "branch_areas": branches,
        "methods": methods(pattern.callback),
    })
print(json.dumps({"areas": AREAS, "roles": sorted(ROLES), "routes": routes}))
"""


def route_table() -> dict[str, Any]:
    """The URL patterns, their views' areas and methods, the areas table and the roles."""
    import tempfile

    with tempfile.TemporaryDirectory() as data_dir:
        done = subprocess.run(
            [sys.executable, "-c", ROUTE_TABLE],
            env=environment(Path(data_dir)),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    table: dict[str, Any] = json.loads(done.stdout)
    return table


TABLE = route_table()
AREAS: dict[str, list[str]] = TABLE["areas"]
ROLES: list[str] = TABLE["roles"]
VIEWS = [route for route in TABLE["routes"] if route["route"].startswith("p/<slug:slug>/")]

# The login of each role on the demo production (created by the fixture where the demo has none).
LOGINS = {
    "armorer": "marta",
    "assistant-armorer": "sam",
    "first-ad": "dana",
    "safety-supervisor": "pat",
    "producer": "ruth",
    "crew": "hal",
    "cast": "jo",
    "stunt": "lee",
    "investigator": "ines",
}
OUTSIDER = "riley"  # the key armorer of another production
SIGNED_OUT = "nobody"
PEOPLE = [*LOGINS.values(), OUTSIDER, SIGNED_OUT]

# Where each armorer's firearm is: the fixture puts one in each armorer's hands, so a view that
# needs the firearm in the signed-in armorer's hands (show clear) can be opened by them.
IN_HAND = {"marta": "R-02", "sam": "R-03"}

# Forms each POST view would record for the key armorer, with the areas beyond the view's own
# that the branch the form reaches requires. A forbidden POST of any of them must record
# nothing. A view missing here is posted an empty form (and still must record nothing).
# "{badge:Name}" is replaced by that person's badge code.
Form = list[tuple[str, str]]
CHAMBERS = [("position", f"chamber {n}") for n in range(1, 7)]
FORMS: dict[str, list[tuple[Form, tuple[str, ...]]]] = {
    "firearm-act": [
        ([("action", "inspect"), *CHAMBERS, ("barrel", "clear")], ()),
        ([("action", "confirm-receipt")], ("move-between-units",)),
    ],
    "on-set": [
        (
            [("action", "open-unit"), ("name", "Splinter unit"), ("location", "Dry creek")],
            ("form-unit",),
        ),
        ([("action", "confirm-receipt"), ("firearm", "W-06")], ("move-between-units",)),
    ],
    "firearm-show": [([("step", "cancel")], ())],
    "lot": [
        (
            [("action", "verify"), ("method", "rattle"), ("badge", "{badge:Sam Ortiz}")],
            ("verify-rounds",),
        ),
        ([("action", "quarantine"), ("reason", "a dented case")], ()),
    ],
    "stop": [
        ([("action", "resume"), ("badge", "{badge:Pat Kimura}")], ("resume-work",)),
        ([("action", "found"), ("observed", "dummy"), ("where", "on the prop table")], ()),
    ],
    "wrap": [([("firearm", "R-01")], ("count-at-wrap",))],
    "breaks": [([("action", "end")], ())],  # no break is on: refused, nothing recorded
    "people": [([("action", "duty"), ("person", "person-6"), ("duty", "props")], ())],
    "people-badge": [([("person", "person-6"), ("code", "DI-NOBODY")], ())],
    "incidents": [
        (
            [
                ("action", "close"),
                ("incident", "incident-9"),
                ("findings", "x"),
                ("second", "person-5"),
            ],
            (),
        )
    ],
    "incidents-evidence": [
        ([("action", "return"), ("incident", "incident-9"), ("armorer", "person-2")], ())
    ],
    "receive": [
        (
            [
                ("action", "firearm"),
                ("tag", "R-01"),
                ("serial", "X1"),
                ("type", "revolver"),
                ("calibre", ".45 Colt"),
                ("firearm_class", "firing"),
                ("positions", "6"),
                ("owner", "Props"),
            ],
            (),
        )
    ],
    # Etc/UTC says every time as the demo's UTC does: the other views' answers stay the same
    "production": [([("action", "zone"), ("zone", "Etc/UTC")], ("time-zone",))],
    "meeting": [
        ([("action", "record"), ("scene", "36"), ("attendee", "person-1"), ("topic", "x")], ())
    ],
}


def sample_kwargs(view: dict[str, Any], slug: str, username: str) -> dict[str, str]:
    """A value for every part of the view's route, for this person (a missing one fails)."""
    kwargs = {}
    for converter in re.findall(r"<(?:\w+:)?(\w+)>", view["route"]):
        name = view["name"] or ""
        if converter == "slug":
            kwargs[converter] = slug
        elif converter == "tag" and name.startswith("firearm"):
            kwargs[converter] = IN_HAND.get(username, "R-02")
        elif converter == "tag" and name.startswith("lot"):
            kwargs[converter] = "D-04"
        elif converter == "tag" and "container" in name:
            kwargs[converter] = "SAFE-1"
        elif converter == "person_id":
            kwargs[converter] = "person-1"
        elif converter == "scene":
            kwargs[converter] = "34"
        else:
            pytest.fail(
                f"the role matrix has no sample value for <{converter}> of {name!r} "
                f"({view['route']}): add one to sample_kwargs in {__file__}"
            )
    return kwargs


def path_of(view: dict[str, Any], kwargs: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], view["route"])


def allowed_roles(areas: list[str]) -> set[str]:
    """The roles that open every one of ``areas``."""
    allowed = set(ROLES)
    for area in areas:
        allowed &= set(AREAS[area])
    return allowed


def requests_of(view: dict[str, Any]) -> list[tuple[str, Form | None, list[str]]]:
    """Each request the matrix sends to the view: method, form, the areas it must need."""
    sent: list[tuple[str, Form | None, list[str]]] = [("GET", None, view["areas"])]
    for form, extra in FORMS.get(view["name"] or "", [([], ())]):
        sent.append(("POST", form, [*view["areas"], *extra]))
    return sent


# -- the demo (its web app in this process), with a login per role --------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    body: str


@dataclass
class Phone:
    """A cookie-keeping client that never follows redirects."""

    client: Client

    def send(self, method: str, path: str, form: Form | None = None) -> Answer:
        data = None
        headers = {"Referer": self.client.base + path}
        if method == "POST":
            token = self.csrf_token()
            data = urllib.parse.urlencode([("csrfmiddlewaretoken", token), *(form or [])]).encode()
            headers["X-CSRFToken"] = token
        reply = self.client.send(method, path, data, headers=headers)
        return Answer(reply.status, reply.location, reply.body.decode(errors="replace"))

    def csrf_token(self) -> str:
        cookie = self.client.django.cookies.get("csrftoken")
        if cookie is None or not cookie.value:
            self.send("GET", "/login/")  # the login form sets the CSRF cookie
        return self.client.csrf()

    def sign_in(self, username: str, password: str) -> None:
        answer = self.send("POST", "/login/", [("username", username), ("password", password)])
        assert answer.status == 302, f"{username} could not sign in ({answer.status})"


@dataclass
class Site:
    base: str
    data_dir: Path
    slug: str
    phones: dict[str, Phone]
    badges: dict[str, str]

    def fill(self, value: str) -> str:
        """A form value with ``{badge:Name}`` replaced by that person's badge code."""
        return re.sub(r"\{badge:([^}]+)\}", lambda m: self.badges[m.group(1)], value)

    def ledger_sizes(self) -> dict[str, int]:
        """Entries in every production's log now."""
        from showclear.store import open_store

        store = open_store(f"sqlite:///{self.data_dir / 'showclear.sqlite3'}")
        try:
            return {p.slug: store.size(p) for p in store.productions()}
        finally:
            store.close()


def _add_people(data_dir: Path, armorer: str, assistant: str) -> str:
    """An investigator on the roster, and a firearm in each armorer's hands; the investigator's id."""
    from showclear.core.commands import AddPerson, Lock, TakeOut, Unlock
    from showclear.core.events.on_set import PersonAdded
    from showclear.core.vocabulary import INVESTIGATOR
    from showclear.service import Service
    from showclear.service.keyring import Keyring
    from showclear.store import open_store

    store = open_store(f"sqlite:///{data_dir / 'showclear.sqlite3'}")
    service = Service(store=store, keyring=Keyring(data_dir), device="test")
    try:
        production = next(p for p in store.productions() if p.name == "Dust and Iron")
        executed = service.execute(
            production,
            AddPerson("Ines Varga", (INVESTIGATOR,)),
            person_id=armorer,
        )
        added = executed.events[0]
        assert isinstance(added, PersonAdded)
        service.execute(production, Unlock("SAFE-1"), person_id=armorer)
        service.execute(production, TakeOut("SAFE-1", IN_HAND["marta"]), person_id=armorer)
        service.execute(production, TakeOut("SAFE-1", IN_HAND["sam"]), person_id=assistant)
        service.execute(production, Lock("SAFE-1"), person_id=armorer)
        return added.person_id
    finally:
        store.close()


def _login(showclear: Callable[..., Any], production: str, person_id: str, username: str) -> str:
    made = showclear(
        "login", "--production", production, "--person", person_id, "--username", username
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return made.stdout.strip().rsplit(" / ", 1)[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("roles") / "data"
    shutil.copytree(demo_template(), data_dir)
    secrets = json.loads((data_dir / "demo-logins.json").read_text())
    people = {badge["name"]: badge["person_id"] for badge in secrets["badges"]}
    passwords = {login["username"]: login["password"] for login in secrets["logins"]}
    investigator = _add_people(data_dir, people["Marta Velez"], people["Sam Ortiz"])
    with app_on(data_dir) as app:
        for username, person_id in (
            ("hal", people["Hal Rivera"]),
            ("jo", people["Jo Carver"]),
            ("lee", people["Lee Marsh"]),
            ("ines", investigator),
        ):
            passwords[username] = _login(app.showclear, "Dust and Iron", person_id, username)
        other = app.showclear("init", "--production", "Red River", "--armorer", "Riley Quinn")
        assert other.returncode == 0, other.stdout + other.stderr
        passwords[OUTSIDER] = _login(app.showclear, "Red River", "person-1", OUTSIDER)

        phones = {}
        for username in PEOPLE:
            phone = Phone(app.client())
            if username != SIGNED_OUT:
                phone.sign_in(username, passwords[username])
            phones[username] = phone
        badges = {badge["name"]: badge["badge"] for badge in secrets["badges"]}
        yield Site(app.base, data_dir, secrets["slug"], phones, badges)


# -- the matrix ---------------------------------------------------------------------------------


def _role_of(username: str) -> str:
    return next((role for role, name in LOGINS.items() if name == username), "")


def test_every_production_view_checks_a_role() -> None:
    unchecked = [f"{view['name']} ({view['view']})" for view in VIEWS if not view["areas"]]
    assert unchecked == [], "views that never call require(place, area)"
    unknown = [
        area for view in VIEWS for area in view["areas"] + view["branch_areas"] if area not in AREAS
    ]
    assert unknown == [], "areas missing from floor/roles.py AREAS"


def test_every_role_of_the_vocabulary_has_a_login_in_the_matrix() -> None:
    assert sorted(LOGINS) == ROLES


def test_every_area_is_opened_by_some_view() -> None:
    """An area no view requires is a table entry nobody enforces."""
    required = {area for view in VIEWS for area in view["areas"] + view["branch_areas"]}
    assert sorted(set(AREAS) - required) == []


def test_a_forbidden_post_would_have_recorded_for_the_armorer(site: Site) -> None:
    """The matrix's forms are real: the same POST the producer is refused records for Marta."""
    path = f"/p/{site.slug}/firearm/{IN_HAND['marta']}/act/"
    form, _ = FORMS["firearm-act"][0]
    before = site.ledger_sizes()[site.slug]
    assert site.phones["ruth"].send("POST", path, form).status == 403
    assert site.ledger_sizes()[site.slug] == before
    answer = site.phones["marta"].send("POST", path, form)
    assert answer.status == 302, re.findall(r'role="alert".*?</section>', answer.body, re.S)
    assert site.ledger_sizes()[site.slug] == before + 1


def test_the_outsider_sees_their_own_production(site: Site) -> None:
    """The login of another production is refused here only because it is another's."""
    home = site.phones[OUTSIDER].send("GET", "/")
    assert home.status == 302
    assert home.location == "/p/red-river/"
    assert site.phones[OUTSIDER].send("GET", home.location).status == 200


# Views that answer a signed-out request with 403 instead of the login page, and why.
SIGNED_OUT_REFUSED = {
    "alarm": "the STOP WORK banner fragment, polled by htmx, which swaps in no 403",
}


def test_every_branch_that_checks_a_role_is_reached_by_a_form() -> None:
    unreached = [
        f"{view['name']}: {area}"
        for view in VIEWS
        for area in view["branch_areas"]
        if not any(area in extra for _, extra in FORMS.get(view["name"] or "", []))
    ]
    assert unreached == [], "add a form reaching each of these role checks to FORMS"


@pytest.mark.parametrize("username", PEOPLE)
@pytest.mark.parametrize("view", VIEWS, ids=[view["name"] or view["route"] for view in VIEWS])
def test_the_role_matrix(site: Site, view: dict[str, Any], username: str) -> None:
    phone = site.phones[username]
    path = path_of(view, sample_kwargs(view, site.slug, username))
    role = _role_of(username)
    for method, form, areas in requests_of(view):
        if form is not None:
            form = [(key, site.fill(value)) for key, value in form]
        before = site.ledger_sizes()
        answer = phone.send(method, path, form)
        after = site.ledger_sizes()
        said = (
            f"{method} {path} {form or ''} as {username} ({role or 'no role here'}), "
            f"needing {areas}: {answer.status}"
        )
        allowed = role in allowed_roles(areas)
        to_login = answer.status == 302 and answer.location.startswith("/login/?next=")
        if method not in view["methods"]:
            assert answer.status == 405 or (username == SIGNED_OUT and to_login), said
        elif username == SIGNED_OUT and view["name"] in SIGNED_OUT_REFUSED:
            assert answer.status == 403, said
        elif username == SIGNED_OUT:
            assert to_login, said
        elif allowed and method == "GET":
            assert answer.status in (200, 302), said
        elif allowed:
            assert answer.status in (200, 302), said
            continue  # an allowed POST may record: that is what the view is for
        else:
            assert answer.status == 403, said
            assert "CSRF" not in answer.body, said + " (refused by CSRF, not by role)"
        assert after == before, f"{said} recorded {after} (was {before})"
