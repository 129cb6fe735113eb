"""The OpenAPI document and its page; errors as RFC 9457 problem details in German."""

from portal.accounts.tables import OrgKind, Role
from tests.api.factories import make_token
from tests.factories import make_org, make_user

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def _token():
    return make_token(make_user(make_org(OrgKind.employer), Role.employer_admin))["headers"]


def test_the_document_is_openapi_3_1_of_the_api_only(client):
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert document["paths"] and all(path.startswith("/api/v1/") for path in document["paths"])
    assert "/api/v1/slots" in document["paths"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert (
        "set-cookie" not in response.headers
        or "portal_session" not in response.headers["set-cookie"]
    )


def test_the_page_describes_every_operation_without_scripts(client):
    response = client.get("/schema")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "API-Beschreibung" in response.text
    assert "POST /api/v1/slots" in response.text
    assert 'id="problem-412"' in response.text
    assert "<script" not in response.text.split("</head>")[1]
    assert "cdn" not in response.text.lower()


def test_an_unknown_api_path_is_a_problem_not_a_page(client):
    response = client.get("/api/v1/nothing-here", headers=_token())
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem.keys() >= PROBLEM_KEYS
    assert problem["title"] == "Nicht gefunden."
    assert problem["type"] == "/schema#problem-404"
    assert problem["instance"] == "/api/v1/nothing-here"


def test_a_wrong_method_and_malformed_json_are_problems(client):
    headers = _token()
    assert client.delete("/api/v1/slots", headers=headers).status_code == 405
    response = client.post(
        "/api/v1/slots",
        content=b"{not json",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    wrong_type = client.post("/api/v1/slots", json={"title": 5}, headers=headers)
    assert wrong_type.status_code == 400
    fields = {error["field"] for error in wrong_type.json()["errors"]}
    assert fields and all(
        error["message"] == "Dieser Wert fehlt oder ist ungültig."
        for error in wrong_type.json()["errors"]
    )


def test_a_bad_query_parameter_is_a_problem_with_the_field(client):
    response = client.get("/api/v1/slots", params={"limit": "0"}, headers=_token())
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "limit", "message": "Dieser Wert fehlt oder ist ungültig."}
    ]


def test_english_is_answered_to_who_asks_for_it(client):
    response = client.get("/api/v1/slots", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json()["title"] == "A valid API token is needed."


def test_reference_data_is_read_only_and_searchable(client):
    headers = _token()
    hits = client.get("/api/v1/occupations", params={"q": "Metallbau"}, headers=headers).json()
    assert hits["data"] and any(hit["code"].startswith("24") for hit in hits["data"])
    page = client.get("/api/v1/occupations", params={"limit": 5}, headers=headers).json()
    assert len(page["data"]) == 5 and page["next_cursor"]
    after = client.get(
        "/api/v1/occupations", params={"limit": 5, "cursor": page["next_cursor"]}, headers=headers
    ).json()
    assert after["data"][0]["code"] > page["data"][-1]["code"]
    assert client.get("/api/v1/cefr-levels", headers=headers).json() == [
        "A1", "A2", "B1", "B2", "C1", "C2"
    ]  # fmt: skip
    assert client.get("/api/v1/occupations/99999", headers=headers).status_code == 404
    assert client.post("/api/v1/cefr-levels", headers=headers).status_code == 405
