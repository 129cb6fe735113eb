"""E-mails about accounts that several pages send."""

from __future__ import annotations

from portal.auth import CurrentUser
from portal.web import AnyRequest, absolute_url


async def send_invitation(
    request: AnyRequest, inviter: CurrentUser, *, email: str, organisation: str, token: str
) -> bool:
    """The invitation link, worded for a colleague's or the coordination office's invitation."""
    template = "mail/invite.txt" if inviter.is_operator else "mail/invite_colleague.txt"
    return await request.app.state.mailer.send(  # type: ignore[no-any-return]
        email,
        template,
        language=inviter.language,
        inviter=inviter.display_name,
        organisation=organisation,
        link=absolute_url(request, "invite:accept", token=token),
    )
