"""The icon: /favicon.ico (which browsers ask for on their own) and the SVG the pages link."""

from __future__ import annotations


def test_it_serves_the_icon_without_a_session(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in response.headers["cache-control"]
    assert "set-cookie" not in response.headers


def test_the_pages_link_an_svg_icon_that_exists(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/img/favicon.svg")
    assert icon.status_code == 200
    assert icon.text.startswith("<svg")
