"""The safety meeting (R-MEETING): the scene, the topics, the pointing and blank-fire plans,
and who attended, each added by scanning their badge (or typing its code, then Enter).

The attendee list lives in the form itself until the meeting is recorded, so a scan adds a
person without recording anything; the record is one :class:`HoldSafetyMeeting` through
:func:`~showclear.web.floor.actions.attempt`. Whether the meeting was enough is judged by the
core when the scene starts and its firearms are issued; the page says what it will look for.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from showclear.core.commands import HoldSafetyMeeting
from showclear.core.read.readiness_board import still_needed_at_meeting
from showclear.core.rules import Violation
from showclear.core.state import Person, ProductionState, Scene
from showclear.service.credential_desk import Failed
from showclear.web.floor.access import on_production, require
from showclear.web.floor.actions import attempt
from showclear.web.floor.today import set_context

TOPICS = (
    "the action",
    "pointing",
    "distances",
    "abort plan",
    "hot and cold calls",
    "misfire procedure",
    "protection (eyes, ears, shields)",
)


def _scenes(state: ProductionState) -> list[Scene]:
    """Scenes still to shoot, today's first as the schedule lists them."""
    return [s for s in state.scenes.values() if s.status != "wrapped" and s.firearms]


def _next_scene(scenes: list[Scene]) -> Scene | None:
    """The scene a meeting is most likely for: the first not yet started (a running scene had
    its meeting), else the first still to wrap."""
    return next((s for s in scenes if s.status == "planned"), scenes[0] if scenes else None)


def distance(cm: int) -> str:
    """``"8 m"``, ``"1.5 m"``, ``"60 cm"``: a distance as people on set say it."""
    if cm < 100:
        return f"{cm} cm"
    return f"{cm / 100:g} m"


DRAFT = "meeting-draft:{slug}"
"""The session key of a meeting being held: its scene and attendees survive a reload or an
error until the meeting is recorded."""


def _still_needed(state: ProductionState, scene: Scene | None, attendees: list[str]) -> list[str]:
    """Who the core will look for at the meeting and who is not there yet: asked of the core."""
    return [] if scene is None else still_needed_at_meeting(state, scene, attendees)


@login_required
def meeting(request: HttpRequest, slug: str) -> HttpResponse:
    """Hold a scene's safety meeting: badges add attendees, "Record" writes it."""
    place = on_production(request.user, slug)
    require(place, "safety-meeting")
    state = place.state
    scenes = _scenes(state)
    form = request.POST if request.method == "POST" else request.GET
    draft = request.session.get(DRAFT.format(slug=slug), {})
    scene = state.scenes.get(form.get("scene", "") or draft.get("scene", "")) or _next_scene(scenes)
    listed = form.getlist("attendee") if request.method == "POST" else []
    attendees = [
        p for p in dict.fromkeys([*draft.get("attendees", []), *listed]) if p in state.people
    ]
    errors: list[str] = []
    notice = ""
    refused: tuple[Violation, ...] = ()
    failure = ""
    action = form.get("action", "")
    if action in ("", "add") and not form.get("badge", "").strip() and form.get("pin"):
        action = "pin"  # Enter in the PIN field submits the form's first button, "Add"
    if request.method == "POST":
        # Not "remove": a form control of that name would hide the form's own remove(), which
        # htmx calls to swap the form out (it broke on the second attendee).
        removed = form.get("take_off", "")
        if removed:
            attendees = [p for p in attendees if p != removed]
            notice = f"{state.person_label(removed)} taken off the list."
        elif action == "record":
            if scene is None:
                errors.append("Choose the scene the meeting is for.")
            elif not attendees:
                errors.append("Add everyone present by their badge first.")
            else:
                outcome = attempt(
                    request,
                    place,
                    HoldSafetyMeeting(
                        scene.scene,
                        tuple(attendees),
                        tuple(t for t in form.getlist("topic") if t in TOPICS)
                        + tuple(t for t in [" ".join(form.get("other_topic", "").split())] if t),
                        tuple(t for t in form.getlist("pointing") if t in scene.pointing),
                        blank_fire_reviewed=form.get("blank_fire_reviewed") == "yes",
                    ),
                )
                if outcome.recorded:
                    request.session.pop(DRAFT.format(slug=slug), None)
                    messages.success(
                        request,
                        f"The safety meeting for scene {scene.scene} is recorded with "
                        f"{len(attendees)} attendee{'s' if len(attendees) != 1 else ''}.",
                    )
                    if request.headers.get("HX-Request"):
                        done = HttpResponse(status=204)
                        done["HX-Redirect"] = reverse("today", kwargs={"slug": slug})
                        return done
                    return redirect("today", slug=slug)
                refused, failure = outcome.refused, outcome.failure
        elif action == "scene":
            pass  # another scene chosen: show its plans
        elif action == "pin":  # an attendee picks their name and types their PIN
            who = form.get("who", "")
            if who not in state.people:
                errors.append("Choose your name, then type your PIN.")
            else:
                checked = place.service.credentials.confirm_in_person(
                    place.production, who, form.get("pin", ""), actor=place.person.person_id
                )
                if isinstance(checked, Failed):
                    errors.append(checked.problem)
                elif who in attendees:
                    notice = f"{state.person_label(who)} is already on the list."
                else:
                    attendees.append(who)
                    notice = f"Added {state.person_label(who)}: PIN confirmed."
        else:  # a badge scanned or typed, then Enter
            scanned = form.get("badge", "").strip()
            # The badge is checked (and throttled) by the service: a photocopy of a badge
            # reprinted since does not sign anyone in.
            holder = place.service.credentials.identify(place.production, scanned)
            person: Person | None = None
            if not scanned:
                errors.append("Scan a badge, or type its code, then press Enter.")
            elif isinstance(holder, Failed):
                errors.append(holder.problem)
            elif (person := state.people.get(holder.person_id)) is None:
                errors.append("No one on this production has that badge.")
            elif person.person_id in attendees:
                notice = f"{person.label} is already on the list."
            else:
                attendees.append(person.person_id)
                notice = f"Added {person.label}."
    if request.method == "POST" and not (action == "record" and not (errors or refused)):
        request.session[DRAFT.format(slug=slug)] = {
            "scene": scene.scene if scene else "",
            "attendees": attendees,
        }
    context = {
        **set_context(place),
        "scenes": scenes,
        "scene": scene,
        "topics": TOPICS,
        "chosen_topics": form.getlist("topic"),  # none ticked until said at the meeting
        "distance": distance(scene.blank_fire.min_distance_cm)
        if scene is not None and scene.blank_fire
        else "",
        "people": sorted(
            (p for p in state.people.values() if p.pin_id and p.person_id not in attendees),
            key=lambda p: p.name,
        ),
        "other_topic": form.get("other_topic", ""),
        "pointing": form.getlist("pointing"),
        "blank_fire_reviewed": form.get("blank_fire_reviewed") == "yes",
        "attendees": [state.people[p] for p in attendees],
        "still_needed": _still_needed(state, scene, attendees),
        "notice": notice,
        "errors": errors,
        "refused": refused,
        "failure": failure,
    }
    if request.headers.get("HX-Target") == "meeting-form":
        return render(request, "floor/_meeting_form.html", context)
    return render(request, "floor/meeting.html", context)


urlpatterns: list[URLPattern] = [path("meeting/", meeting, name="meeting")]
