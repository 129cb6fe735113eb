"""Operator-configurable texts of the legal pages."""

from __future__ import annotations

from portal.clock import now
from portal.pages.tables import PageSlug, SiteText


async def site_text(slug: str, language: str) -> str:
    """The operator's text for a page in `language`, else in German, else empty."""
    rows = await SiteText.select(SiteText.language, SiteText.body).where(
        (SiteText.slug == slug) & SiteText.language.is_in([language, "de"])
    )
    by_language = {row["language"]: row["body"] for row in rows}
    return by_language.get(language) or by_language.get("de") or ""


async def save_site_text(slug: PageSlug, language: str, body: str) -> None:
    existing = (
        await SiteText.select(SiteText._meta.primary_key)
        .where((SiteText.slug == slug) & (SiteText.language == language))
        .first()
    )
    if existing:
        await SiteText.update({SiteText.body: body, SiteText.updated_at: now()}).where(
            SiteText._meta.primary_key == existing["id"]
        )
    else:
        await SiteText.insert(SiteText(slug=slug, language=language, body=body))
