"""The one Jinja environment, shared by pages (through Litestar) and e-mails."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments import render_block
from litestar.response import Template
from litestar.types import Scope

from portal import i18n
from portal.sessions import Session
from portal.settings import ROOT

TEMPLATES_DIR = ROOT / "templates"


def create_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.raw_gettext, i18n.raw_ngettext, newstyle=True
    )
    env.filters["date"] = i18n.format_date
    env.filters["datetime"] = i18n.format_datetime
    env.filters["number"] = i18n.format_number
    env.globals["current_language"] = i18n.current_language
    env.globals["LANGUAGES"] = i18n.LANGUAGES
    env.globals["flashes"] = pop_flashes
    return env


def pop_flashes(scope: Scope) -> list[tuple[str, str]]:
    session: Session | None = scope.get("portal_session")  # type: ignore[assignment]
    return session.pop_flashes() if session is not None else []


def render_mail(env: Environment, template: str, **context: Any) -> tuple[str, str]:
    """An e-mail's subject and text body, from the blocks of one template."""
    subject = render_block(env, template, "subject", **context).strip()
    body = render_block(env, template, "body", **context).strip() + "\n"
    return subject, body


def page(template: str, *, status_code: int = 200, **context: Any) -> Template:
    """A full page (no HTMX fragment)."""
    return Template(template_name=template, context=context, status_code=status_code)
