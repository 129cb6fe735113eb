"""The API's description: Litestar's OpenAPI 3.1 document at /schema/openapi.json and a
readable page of it at /schema, rendered on the server from our own templates.

Litestar's own pages (Redoc, Swagger, …) load their scripts from CDNs, which the CSP and the
"no CDN" rule forbid; the page here needs no script at all.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, OpenAPIRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from portal.api.problems import DETAILS, TITLES
from portal.auth import PUBLIC
from portal.i18n import _

METHODS = ("get", "post", "put", "patch", "delete")
# The generated handlers of the schema router, named so that url_for and the permission
# table (tests/security/test_route_access.py) know them.
NAMES = {"/schema": "api:schema", "/schema/openapi.json": "api:openapi"}


class ReadablePage(OpenAPIRenderPlugin):
    """The OpenAPI document as an HTML page of the portal (templates/api/schema.html)."""

    def __init__(self) -> None:
        super().__init__(path="/", media_type=MediaType.HTML)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        template = request.app.template_engine.get_template("api/schema.html")  # type: ignore[union-attr]
        return template.render(  # type: ignore[no-any-return]
            request=request,
            info=openapi_schema.get("info", {}),
            operations=operations(openapi_schema),
            schemas=shapes(openapi_schema),
            problems=[(status, _(TITLES[status]), _(DETAILS.get(status, ""))) for status in TITLES],
        ).encode()

    def receive_router(self, router: Router) -> None:
        # The map the app registers the router's handlers from.
        for path, handlers in router.route_handler_method_map.items():
            for handler in handlers.values():
                generated = handler.name is None or "openapi_json" in handler.name
                if generated and "GET" in getattr(handler, "http_methods", ()):
                    handler.name = NAMES.get(path, "api:schema_not_found")


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the document, in path order, with what the page shows of it."""
    found = []
    for path, item in sorted(document.get("paths", {}).items()):
        for method in METHODS:
            if method in item:
                operation = item[method]
                found.append(
                    {
                        "id": operation.get("operationId", f"{method}-{path}"),
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": operation.get("parameters", []),
                        "body": _ref_name(operation.get("requestBody", {})),
                        "responses": sorted(operation.get("responses", {}).keys()),
                    }
                )
    return found


def shapes(document: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Each named schema: its fields with their type and whether they are required."""
    found = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            (field, type_label(spec), field in required)
            for field, spec in schema.get("properties", {}).items()
        ]
        found.append((name, fields))
    return found


def type_label(spec: dict[str, Any]) -> str:
    """'string (date)', 'integer | null', 'Slot[]', … for the page."""
    if "$ref" in spec:
        return str(spec["$ref"]).rsplit("/", 1)[-1]
    if "oneOf" in spec or "anyOf" in spec:
        return " | ".join(type_label(part) for part in spec.get("oneOf") or spec["anyOf"])
    kind = spec.get("type", "any")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array":
        return type_label(spec.get("items", {})) + "[]"
    return f"{kind} ({spec['format']})" if "format" in spec else str(kind)


def _ref_name(body: dict[str, Any]) -> str:
    for content in body.get("content", {}).values():
        ref = content.get("schema", {}).get("$ref", "")
        return str(ref).rsplit("/", 1)[-1]
    return ""


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Praktikumsportal API",
        version="1.0.0",
        description=(
            "JSON API of the placement portal. Authenticate with an organisation's token: "
            "`Authorization: Bearer ppt_…`. Errors are RFC 9457 problem details. "
            "Each token may send a limited number of requests per calendar minute "
            "(API_RATE_PER_MINUTE, 120 by default): more are answered 429 with the header "
            "`Retry-After` (seconds until the next minute) and `RateLimit-Limit`. "
            "Send `Idempotency-Key` with a creating POST so that a retry does not create twice, "
            "and `If-Match` with the ETag you read on a change (412 when it changed since)."
        ),
        path="/schema",
        render_plugins=[ReadablePage(), JsonRenderPlugin()],
        openapi_router=Router(
            path="/schema", route_handlers=[], opt=PUBLIC, include_in_schema=False
        ),
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
        ),
        security=[{"bearer": []}],
        use_handler_docstrings=True,
    )
