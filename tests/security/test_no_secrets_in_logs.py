"""No password, PIN, device token, webhook secret, signing key or site secret in the server's log
or in an error answer, after a session that used them all, rightly and wrongly."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fault_server import KillableServer, Phone, api, init_production, make_login, make_token
from fault_server import showclear_env as environment_of

PIN = "73915082"
OTHER_PIN = "51842967"
WRONG_PIN = "60428193"


def test_a_session_with_pins_tokens_and_passwords_leaves_none_of_them_in_the_log_or_errors(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    env = environment_of(data_dir)
    slug = init_production(env, "Secret Western")
    token = make_token(env, slug, "truck scanner")
    password = make_login(env, "person-1", "hannah")
    env["SHOWCLEAR_ACCESS_LOG"] = "1"  # every request in the log too
    server = KillableServer(env, tmp_path / "serve.log")
    server.start()
    answers: list[str] = []

    def call(method: str, path: str, body: object = None, *, as_token: str = token) -> int | None:
        answer = api(server.base, method, f"/productions/{slug}{path}", token=as_token, body=body)
        answers.append(str(answer.body))
        return answer.status

    try:
        assert call("POST", "/commands/add-person", {
            "name": "Jo Carver", "roles": ["cast"], "person_id": "jo",
        }) == 201  # fmt: skip
        assert call("POST", "/people/jo/pin", {"pin": PIN}) == 201
        assert call("POST", "/people/person-1/pin", {"pin": OTHER_PIN}) == 201
        assert call("POST", "/people/person-1/badge") == 201
        badge = answers.pop()  # the one answer a badge's code is ever in
        badge_code = badge.split("'code': '")[1].split("'")[0]
        assert call("POST", "/confirmations", {"person_id": "jo", "pin": PIN}) == 200
        for _ in range(6):  # wrong PINs, until PIN entry is locked for Jo
            call("POST", "/confirmations", {"person_id": "jo", "pin": WRONG_PIN})
        assert call("POST", "/confirmations", {"person_id": "jo", "pin": WRONG_PIN}) == 429
        assert call("POST", "/commands/add-person", {"name": "X", "pin": f"{PIN}x"}) == 422
        assert call("GET", "", as_token=token[:-4] + "abcd") == 401
        assert call("GET", "", as_token=f"{token} {PIN}") == 401
        hook = api(
            server.base, "POST", f"/productions/{slug}/webhooks", token=token,
            body={"url": "https://safety.example.com/hook", "description": "office"},
        )  # fmt: skip
        assert hook.status == 201, hook.body
        webhook_secret = str(hook.body["secret"])

        phone = Phone(server.base)
        phone.open("/login/")
        _, page = phone.open("/login/", {"username": "hannah", "password": password + "!"})
        assert "Sign out" not in page
        answers.append(page)
        phone.sign_in("hannah", password)
        _, page = phone.open(f"/p/{slug}/stop/", {"action": "resume", "badge": PIN})
        answers.append(page)
    finally:
        server.stop()

    secrets = {
        "device token": token,
        "device token digest": hashlib.sha256(token.encode()).hexdigest(),
        "password": password,
        "performer's PIN": PIN,
        "armorer's PIN": OTHER_PIN,
        "wrong PIN": WRONG_PIN,
        "webhook secret": webhook_secret,
        "badge code": badge_code,
        "credential key": (data_dir / "keys" / "credentials.pepper").read_text().strip(),
        "site secret key": (data_dir / "secret_key").read_text().strip(),
        "signing key": (data_dir / "keys" / f"{slug}.key").read_text().strip(),
    }
    log = server.log_path.read_text()
    assert f'"POST /api/v1/productions/{slug}/confirmations HTTP/1.1" 429' in log
    assert f'"GET /api/v1/productions/{slug} HTTP/1.1" 401' in log
    in_log = [name for name, value in secrets.items() if value in log]
    assert in_log == [], f"found in the server log: {in_log}"
    in_answers = [
        name for name, value in secrets.items() if name != "webhook secret"
        for answer in answers if value in answer
    ]  # fmt: skip
    assert in_answers == [], f"found in an answer: {in_answers}"
