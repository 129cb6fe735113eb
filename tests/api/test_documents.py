"""Documents through the API: upload with the page's checks and limits, list, download for
the owning organisation only (policy.may_download_document), audited as on the page."""

from portal.accounts.tables import OrgKind, Role
from portal.audit.tables import AuditEvent
from portal.candidates.tables import Document
from portal.files import body_limit
from tests.api.factories import make_token
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_user
from tests.files import pdf, png_bomb, with_javascript


def _case():
    agency = make_org(OrgKind.case_management)
    lead = make_user(agency, Role.team_lead)
    return make_candidate(agency, lead), make_token(lead)


def _upload(client, candidate, token, data, **fields):
    return client.post(
        f"/api/v1/candidates/{candidate.id}/documents",
        files={"file": ("Zeugnis.pdf", data, "application/pdf")},
        data={"kind": "certificate", **fields},
        headers=token["headers"],
    )


def test_it_uploads_lists_and_downloads_a_document(client):
    candidate, token = _case()
    body = pdf()
    response = _upload(client, candidate, token, body)
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["content_type"] == "application/pdf" and document["size"] == len(body)
    listed = client.get(f"/api/v1/candidates/{candidate.id}/documents", headers=token["headers"])
    assert [d["id"] for d in listed.json()["data"]] == [document["id"]]
    download = client.get(response.headers["location"], headers=token["headers"])
    assert download.status_code == 200 and download.content == body
    assert download.headers["content-disposition"].startswith("attachment")
    actions = {row["action"] for row in run(AuditEvent.select(AuditEvent.action))}
    assert {"document.upload", "document.download"} <= actions


def test_it_refuses_what_the_page_refuses_with_a_field_message(client):
    candidate, token = _case()
    for data in (with_javascript(), png_bomb(), b"just text"):
        response = _upload(client, candidate, token, data)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == ["file"]
    bad_kind = _upload(client, candidate, token, pdf(), kind="selfie")
    assert [e["field"] for e in bad_kind.json()["errors"]] == ["kind"]
    assert run(Document.count()) == 0


def test_it_refuses_a_file_over_the_limit(client, settings):
    candidate, token = _case()
    limit = settings.upload_max_bytes
    just_over = _upload(client, candidate, token, b"%PDF-1.4\n" + b"0" * limit)
    assert just_over.status_code == 422
    assert just_over.json()["errors"][0]["message"].startswith("Die Datei ist größer als")
    # A body far over the limit is refused before it is read (UploadLimit, as for the page).
    far_over = _upload(client, candidate, token, b"0" * (body_limit(settings) + 1))
    assert far_over.status_code == 413
    assert far_over.headers["content-type"].startswith("application/problem+json")
    assert run(Document.count()) == 0


def test_another_organisation_can_neither_upload_nor_download(client):
    candidate, token = _case()
    document_id = _upload(client, candidate, token, pdf()).json()["id"]
    _other_case, stranger = _case()
    assert (
        client.get(f"/api/v1/documents/{document_id}", headers=stranger["headers"]).status_code
        == 404
    )
    assert _upload(client, candidate, stranger, pdf()).status_code == 404
    assert run(Document.count()) == 1


def test_a_text_part_that_is_not_utf8_is_a_bad_request_not_a_500(client):
    candidate, token = _case()
    boundary = "grenze"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'.encode()
        + b"\xff\xfe"
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"'
        "\r\nContent-Type: application/pdf\r\n\r\n".encode()
        + pdf()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        f"/api/v1/candidates/{candidate.id}/documents",
        content=body,
        headers={**token["headers"], "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    assert run(Document.count()) == 0
