"""``/api/v1/``: the NinjaAPI that the site's URLs mount, with its OpenAPI document and docs."""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from showclear.web.api import confirmations, devices, errors, queries, recording, webhooks


class ShowclearApi(NinjaAPI):
    """The NinjaAPI with its OpenAPI document built once per mount point, not per request."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._documents: dict[str, OpenAPISchema] = {}
        self._building = threading.Lock()

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        with self._building:
            if path_prefix not in self._documents:
                self._documents[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
            return self._documents[path_prefix]


api = ShowclearApi(
    title="Showclear API",
    version="1",
    description=(
        "Firearm custody and safety on set, for scanners, devices and a production's other "
        "software. Every call carries a device token (`Authorization: Bearer sc_...`) made with "
        "`showclear token create`; every command is decided by the same safety rules as the "
        "set pages and sealed in the production's ledger naming the device and the person. "
        "Every error has one shape (`Problem`). See docs/api.md."
    ),
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("/", queries.router)
api.add_router("/", recording.router)
api.add_router("/", confirmations.router)
api.add_router("/", devices.router)
api.add_router("/", webhooks.router)


def _plain(view: partial[HttpResponse]) -> Any:
    def page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return view(request, **kwargs)

    return page


def urls() -> tuple[list[Any], str, str]:
    """The routes to mount at ``api/v1/``: ``api.urls`` with every view a plain function.

    Ninja serves its document, docs and root through ``functools.partial`` objects; tools that
    read a view's source (the set pages' role matrix test) expect functions.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and isinstance(pattern.callback, partial):
            pattern.callback = _plain(pattern.callback)
    return patterns, app_name, namespace
