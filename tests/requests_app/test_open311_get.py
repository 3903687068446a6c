"""Open311 GET requests, in JSON and XML: lists, extensions, filters, paging, one request, other jurisdictions,
and no private data in reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tests.requests_app import open311_spec as spec
from tests.requests_app.conftest import LAT
from tests.requests_app.open311_support import BASE, FORMATS, PRIVATE, errors_of, post

# --- GET requests ---------------------------------------------------------------------------------


@pytest.fixture
def filed(client, catalogue_a, agency_a, key_a, staff_a):
    """Three requests: open, in progress with a public note, resolved; reporter data on each."""
    refs = []
    for i in range(3):
        answer = post(
            client,
            "json",
            key_a,
            lat=str(LAT + i * 0.01),
            email="ann@example.com",
            phone="+1 217 555 0199",
            first_name="Annabel",
            last_name="Quist",
            device_id=f"device-xyz-{i}",
            account_id="acct-42",
        ).json()[0]
        refs.append(answer["service_request_id"])
    from requests_app.services import service_request_transition

    with agency_context(agency_a):
        requests = {r.reference: r for r in ServiceRequest.objects.all()}
        service_request_transition(
            agency=agency_a,
            actor=staff_a["agent"],
            request=requests[refs[1]],
            to_status="in_progress",
            public_note="Crew scheduled",
            internal_note="secret internal remark",
            expected_at=timezone.now() + timedelta(days=2),
        )
        service_request_transition(
            agency=agency_a,
            actor=staff_a["agent"],
            request=requests[refs[2]],
            to_status="resolved",
            public_note="Fixed",
        )
    return refs


def _records(response, fmt, *, extensions=False):
    assert response.status_code == 200
    if fmt == "json":
        records = response.json()
        for record in records:
            spec.check_request_json(record, extensions=extensions)
        return records
    root = spec.parse_xml(response.content)
    assert root.tag == "service_requests"
    records = []
    for element in root:
        assert element.tag == "request"
        values = spec.xml_record(element, spec.REQUEST, spec.EXTENSIONS if extensions else None)
        if extensions:
            assert {"attributes", "extended_attributes", "notes"} <= {c.tag for c in element}
            for note in element.findall("notes/note"):
                spec.xml_record(note, spec.NOTE)
        records.append(values)
    return records


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_default_and_private_data(client, filed, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha"})
    records = _records(response, fmt)
    assert [r["service_request_id"] for r in records] == list(reversed(filed))  # newest first
    by_id = {r["service_request_id"]: r for r in records}
    assert by_id[filed[0]]["status"] == "open" and by_id[filed[0]]["status_notes"] == "Submitted"
    assert by_id[filed[1]]["status"] == "open" and by_id[filed[1]]["status_notes"] == "In progress: Crew scheduled"
    assert by_id[filed[1]]["expected_datetime"]
    assert by_id[filed[2]]["status"] == "closed"
    assert by_id[filed[0]]["agency_responsible"] == "Alpha City"
    body = response.content.decode()
    for secret in [*PRIVATE, "secret internal remark"]:
        assert secret not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_with_extensions(client, filed, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha", "extensions": "true"})
    records = _records(response, fmt, extensions=True)
    assert len(records) == 3
    body = response.content.decode()
    for secret in [*PRIVATE, "secret internal remark"]:
        assert secret not in body
    if fmt == "json":
        in_progress = next(r for r in records if r["service_request_id"] == filed[1])
        assert [n["type"] for n in in_progress["notes"]] == ["opened", "status_change"]
        assert in_progress["notes"][1]["description"] == "Crew scheduled"
        assert in_progress["attributes"] == [{"code": "size", "description": "How big is it?", "value": "large"}]
        assert in_progress["extended_attributes"]["status_detail"] == "in_progress"


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters(client, filed, fmt):
    def ids(**params):
        response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha", **params})
        return [r["service_request_id"] for r in _records(response, fmt)]

    assert ids(status="open") == [filed[1], filed[0]]
    assert ids(status="closed") == [filed[2]]
    assert ids(status="open,closed") == list(reversed(filed))
    assert ids(service_code="fallen-tree") == []
    assert ids(service_code="pothole,fallen-tree") == list(reversed(filed))
    assert sorted(ids(service_request_id=f"{filed[0]},{filed[2].lower()}", status="open")) == sorted(
        [filed[0], filed[2]]
    )  # ids override other filters
    assert ids(start_date=(timezone.now() + timedelta(days=1)).isoformat()) == []
    assert len(ids(start_date=(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))) == 3
    assert ids(page_size="2") == [filed[2], filed[1]]
    assert ids(page_size="2", page="2") == [filed[0]]
    assert ids(page="9") == []


def test_paging_link_header(client, filed):
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": "alpha", "page_size": "2"})
    assert 'rel="next"' in response["Link"] and "page=2" in response["Link"]
    assert "Link" not in client.get(f"{BASE}/requests.json", {"jurisdiction_id": "alpha", "page_size": "3"})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-02-30"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "before"),
        ({"status": "pending"}, "status"),
        ({"page": "0"}, "page"),
        ({"page_size": "5000"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
def test_get_requests_bad_filters(client, filed, fmt, params, text):
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha", **params})
    assert response.status_code == 400 and text in errors_of(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request(client, filed, fmt):
    response = client.get(f"{BASE}/requests/{filed[1]}.{fmt}", {"jurisdiction_id": "alpha"})
    (record,) = _records(response, fmt)
    assert record["service_request_id"] == filed[1]
    assert record["service_code"] == "pothole" and record["service_name"] == "Pothole"
    assert float(record["lat"]) == pytest.approx(LAT + 0.01)
    for secret in PRIVATE:
        assert secret not in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_of_another_jurisdiction_is_404(client, filed, catalogue_b, agency_b, fmt):
    response = client.get(f"{BASE}/requests/{filed[0]}.{fmt}", {"jurisdiction_id": "beta"})
    assert response.status_code == 404 and filed[0] in errors_of(response, fmt)
    listing = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "beta", "service_request_id": filed[0]})
    assert _records(listing, fmt) == []
    assert client.get(f"{BASE}/requests/NOPE-1.{fmt}", {"jurisdiction_id": "alpha"}).status_code == 404
