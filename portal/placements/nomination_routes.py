"""Routes of the placements (being built in this session)."""

from litestar import Router

router = Router(path="/", route_handlers=[])
