"""The search costs the same few SQL statements whatever the number of results."""

from tests.factories import make_municipality
from tests.search.slots import many_slots


def _measure(client, queries, url, **kwargs):
    queries.clear()
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return list(queries)


def test_it_needs_the_same_queries_for_5_and_for_50_results(searching, employer, queries):
    place = make_municipality("Wurzen")
    url = f"/search/slots?occupation=24&municipality={place.id}&german=B1"
    many_slots(employer, 5, municipality=place.id)
    few = _measure(searching, queries, url)
    many_slots(employer, 45, municipality=place.id)
    many = _measure(searching, queries, url)
    # The user behind the session, the count, the page; the form's two lists of choices.
    assert len(few) == len(many) == 5
    assert sum("COUNT(" in sql.upper() for sql in many) == 1
    page = next(sql for sql in many if "LIMIT" in sql.upper() and "slot" in sql.lower())
    # One page query, joining the employer, the occupation and the municipality.
    assert page.upper().count("JOIN") == 3


def test_it_needs_three_queries_for_the_htmx_results(searching, employer, queries):
    place = make_municipality("Wurzen")
    many_slots(employer, 5, municipality=place.id)
    headers = {"HX-Request": "true"}
    few = _measure(searching, queries, "/search/slots?occupation=244", headers=headers)
    many_slots(employer, 45, municipality=place.id)
    many = _measure(searching, queries, "/search/slots?occupation=244", headers=headers)
    assert len(few) == len(many) == 3
