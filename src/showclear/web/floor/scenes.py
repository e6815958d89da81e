"""The first AD's calls on the Today board: start a scene, wrap it, call a break and end it.

Each scene's card on Today carries its one next action (``floor/_scene_action.html``): start
it while it is planned, wrap it while it runs, for whoever the command's handler declares
(:data:`roles.ACTING`). The press records through
:func:`~showclear.web.floor.desk.record`; the answer replaces that card's action in place
(htmx), so a refusal (R-MEETING: no safety meeting yet) stands on the card with every reason
the core gave, and stays there while the board refreshes around it (``hx-preserve``, keyed by
the scene's state), until the scene changes or the person presses again. Without htmx the
same press answers a page of its own (refused) or goes back to the card on Today (recorded).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from showclear.core.commands import CallBreak, Command, EndBreak, StartScene, WrapScene
from showclear.core.state import Scene
from showclear.web.floor.access import OnProduction, on_production, require
from showclear.web.floor.actions import Outcome
from showclear.web.floor.desk import record
from showclear.web.floor.today import set_context

REPLAYED = "Recorded once: that second tap was the same press, and recorded nothing more."

BREAKS = (("meal", "Meal break"), ("rest", "Rest break"), ("weather", "Weather hold"))
"""The breaks the first AD calls most; any other reason may be typed."""


def _scene(place: OnProduction, scene_id: str) -> Scene:
    scene = place.state.scenes.get(scene_id)
    if scene is None:
        raise Http404(f"there is no scene {scene_id!r} on the schedule")
    return scene


def _told(outcome: Outcome) -> list[str]:
    """The warnings recorded with a command, in words."""
    assert outcome.executed is not None
    return [f"{w.rule_id}: {w.message}" for w in outcome.executed.warnings]


def _answer(
    request: HttpRequest,
    place: OnProduction,
    template: str,
    context: dict[str, Any],
    outcome: Outcome | None,
    done: str,
    anchor: str,
) -> HttpResponse:
    """The card's action again, with what happened: in place for htmx, else a page."""
    recorded = outcome is not None and outcome.recorded
    replayed = outcome is not None and outcome.replayed  # a bounce on the button swapped in
    if replayed:
        done = REPLAYED
    warned = _told(outcome) if outcome is not None and recorded and not replayed else []
    said: dict[str, Any] = {
        "done": done if recorded else "",
        "warned": warned,
        "refused": outcome.refused if outcome is not None else (),
        "failure": outcome.failure if outcome is not None else "",
    }
    if request.headers.get("HX-Request"):
        response = render(request, template, {**set_context(place), **context, **said})
        if recorded:
            # The board redraws at once (its scenes listen for this, as for the banner).
            response["HX-Trigger"] = "alarmchanged"
        return response
    if recorded:
        messages.success(request, done)
        for warning in warned:
            messages.warning(request, warning)
        return redirect(reverse("today", kwargs={"slug": place.production.slug}) + anchor)
    return render(
        request,
        "floor/scene_action.html",
        {**set_context(place), **context, **said, "part": template},
        status=200,
    )


def _scene_press(
    request: HttpRequest, place: OnProduction, scene: Scene, command: Command, done: str
) -> HttpResponse:
    outcome = record(request, place, command)
    state = place.service.state(place.production)
    return _answer(
        request,
        place,
        "floor/_scene_action.html",
        {"scene": state.scenes[scene.scene]},
        outcome,
        done,
        f"#scene-{scene.scene}",
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str, scene: str) -> HttpResponse:
    """The shot is ready: start the scene (the first AD), or say why not."""
    place = on_production(request.user, slug)
    require(place, "start-scene")
    found = _scene(place, scene)
    return _scene_press(
        request, place, found, StartScene(found.scene), f"Scene {found.scene} has started."
    )


@login_required
@require_POST
def wrap(request: HttpRequest, slug: str, scene: str) -> HttpResponse:
    """The scene is over: wrap it, or say why not."""
    place = on_production(request.user, slug)
    require(place, "wrap-scene")
    found = _scene(place, scene)
    return _scene_press(
        request, place, found, WrapScene(found.scene), f"Scene {found.scene} is wrapped."
    )


@login_required
@require_POST
def breaks(request: HttpRequest, slug: str) -> HttpResponse:
    """Call a break (with its reason) or end the one that is on."""
    place = on_production(request.user, slug)
    require(place, "breaks")
    action = request.POST.get("action", "")
    reason = " ".join((request.POST.get("other") or request.POST.get("reason", "")).split())
    outcome: Outcome | None = None
    done = ""
    errors: list[str] = []
    if action == "call":
        command = CallBreak(reason or "meal")
        outcome = record(request, place, command)
        done = f"The {command.reason} break is called: everything is locked away now."
    elif action == "end":
        outcome = record(request, place, EndBreak())
        done = "The break is over."
    else:
        errors = ["Choose whether to call a break or end it."]
    if errors:
        return render(
            request,
            "floor/scene_action.html",
            {**set_context(place), **break_context(place), "errors": errors, "part": ""},
            status=400,
        )
    return _answer(
        request,
        place,
        "floor/_breaks.html",
        break_context(place),
        outcome,
        done,
        "#breaks",
    )


def break_context(place: OnProduction) -> dict[str, Any]:
    """What the break card shows: the break on, if any, and the reasons to choose from."""
    return {
        "on_break": place.service.state(place.production).on_break,
        "break_reasons": BREAKS,
    }


urlpatterns: list[URLPattern] = [
    path("scenes/<str:scene>/start/", start, name="scene-start"),
    path("scenes/<str:scene>/wrap/", wrap, name="scene-wrap"),
    path("breaks/", breaks, name="breaks"),
]
