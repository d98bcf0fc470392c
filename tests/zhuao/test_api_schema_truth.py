"""The schema tells the truth (issue 23, finding 14): every list filter is validated (a bad value
is a 400 with a message in the user's language, never a 500 or a silently ignored value) and
documented; responses have the shape, status codes and content types the schema gives; an
unknown address under /api/ answers in JSON. schemathesis checks the whole API against the
schema as every role (tests/hardening/test_api_fuzz.py); these tests name each defect."""
import json

import pytest
from drf_spectacular.generators import SchemaGenerator

ERROR_REF = "#/components/schemas/Error"
VALIDATION_ERROR_REF = "#/components/schemas/ValidationError"


@pytest.fixture(scope="module")
def schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, default=str))


def _operation(schema, path, method="get"):
    return schema["paths"][path][method]


def _query_parameters(schema, path) -> dict:
    return {parameter["name"]: parameter["schema"]
            for parameter in _operation(schema, path).get("parameters", [])
            if parameter["in"] == "query"}


def _response_schema(schema, path, method="get", code="200"):
    return _operation(schema, path, method)["responses"][code]["content"]["application/json"][
        "schema"]


# --- list filters -------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "filters"), [
    ("/api/v1/cases/cases/", {"district", "status", "category", "risk_level"}),
    ("/api/v1/cases/liaisons/", {"current"}),
    ("/api/v1/remittance/recipients/", {"district", "status", "onboarding_status"}),
    ("/api/v1/remittance/payments/", {"batch", "status", "period"}),
])
def test_every_list_filter_is_documented(schema, path, filters):
    parameters = _query_parameters(schema, path)
    assert filters <= parameters.keys()
    assert {"page", "page_size"} <= parameters.keys()


def test_a_related_record_filter_is_an_integer_and_choices_are_enums(schema):
    payments = _query_parameters(schema, "/api/v1/remittance/payments/")
    assert payments["batch"]["type"] == "integer"
    assert "enum" in payments["status"]
    assert payments["period"]["format"] == "date"
    assert "enum" in _query_parameters(schema, "/api/v1/cases/cases/")["status"]


def test_page_parameters_give_their_bounds(schema):
    parameters = _query_parameters(schema, "/api/v1/cases/households/")
    assert parameters["page"]["minimum"] == 1
    assert parameters["page_size"]["minimum"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "url", "field"), [
    ("city", "/api/v1/remittance/payments/?batch=x", "batch"),
    ("city", "/api/v1/remittance/payments/?period=soon", "period"),
    ("city", "/api/v1/remittance/payments/?status=lost", "status"),
    ("city", "/api/v1/remittance/recipients/?onboarding_status=lost", "onboarding_status"),
    ("city", "/api/v1/cases/cases/?status=lost", "status"),
    ("city", "/api/v1/cases/cases/?risk_level=extreme", "risk_level"),
    ("city", "/api/v1/cases/liaisons/?current=perhaps", "current"),
    ("city", "/api/v1/cases/liaisons/?current=5", "current"),
    ("city", "/api/v1/pilot/tasks/?is_ongoing=5", "is_ongoing"),
    ("city", "/api/v1/pilot/tasks/?is_ongoing=maybe", "is_ongoing"),
    ("city", "/api/v1/cases/households/?page_size=0", "page_size"),
    ("city", "/api/v1/cases/households/?page_size=many", "page_size"),
])
def test_a_bad_filter_value_is_refused_in_the_users_language(api_client_for, username, url,
                                                              field):
    english = api_client_for(username).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400, english.content
    assert english["Content-Type"].startswith("application/json")
    assert english.json()[field]
    message = english.json()[field][0]
    chinese = api_client_for(username).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 400
    assert chinese.json()[field][0] != message, "the message is translated"


@pytest.mark.django_db
def test_a_related_record_filter_does_not_tell_which_ids_exist(api_client_for):
    response = api_client_for("city").get("/api/v1/cases/action-items/?meeting=999999")
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.django_db
def test_good_filter_values_still_filter(api_client_for):
    response = api_client_for("city").get("/api/v1/cases/liaisons/?current=true")
    assert response.status_code == 200
    response = api_client_for("city").get("/api/v1/pilot/tasks/?is_ongoing=false")
    assert response.status_code == 200
    response = api_client_for("city").get("/api/v1/cases/cases/?status=open&district=xiangzhou")
    assert response.status_code == 200


# --- response shapes -----------------------------------------------------------------------

def test_agenda_progress_and_findings_are_documented_as_the_lists_they_are(schema):
    for path, method in [("/api/v1/cases/meetings/{id}/agenda/", "get"),
                         ("/api/v1/cases/action-items/{id}/progress/", "get"),
                         ("/api/v1/infosharing/verification-requests/{id}/findings/", "get")]:
        assert _response_schema(schema, path, method)["type"] == "array", path
        names = {parameter["name"] for parameter in _operation(schema, path, method).get(
            "parameters", [])}
        assert "page" not in names, f"{path} is not paginated"
    progress = _response_schema(schema, "/api/v1/cases/action-items/{id}/progress/", "post",
                                "201")
    assert progress["type"] == "array"


def test_creating_a_case_or_a_person_documents_its_body(schema):
    for path, component in [("/api/v1/cases/cases/", "CaseCreateRequest"),
                            ("/api/v1/cases/people/", "PersonCreateRequest")]:
        body = _operation(schema, path, "post")["requestBody"]
        assert body["required"] is True
        assert body["content"]["application/json"]["schema"]["$ref"].endswith(component)
    assert "409" in _operation(schema, "/api/v1/cases/people/", "post")["responses"]


def test_a_scan_is_documented_with_the_content_types_it_is_served_as(schema):
    content = _operation(schema, "/api/v1/infosharing/authorizations/{id}/scan/")[
        "responses"]["200"]["content"]
    assert {"application/pdf", "image/jpeg", "image/png"} <= content.keys()
    assert "application/octet-stream" not in content


def test_every_operation_documents_its_errors_with_the_error_body(schema):
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            expected = {"400", "404", "429"}
            if operation.get("security") != [{}] and {} not in operation.get("security", []):
                expected |= {"401", "403"}
            if method in ("post", "put", "patch", "delete"):
                expected |= {"409", "413", "415"}
            for code in sorted(expected - responses.keys()):
                missing.append(f"{method.upper()} {path} {code}")
            if "404" in responses:
                assert responses["404"]["content"]["application/json"]["schema"]["$ref"] in (
                    ERROR_REF, ), f"{method} {path}"
            assert responses["400"]["content"]["application/json"]["schema"]["$ref"] in (
                VALIDATION_ERROR_REF,), f"{method} {path}"
    assert not missing, missing[:20]


def test_the_token_exchange_documents_no_401(schema):
    responses = _operation(schema, "/api/v1/auth/token/", "post")["responses"]
    assert "401" not in responses and "400" in responses


# --- addresses that are not there ---------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("username", ["anonymous", "city"])
def test_an_unknown_api_address_answers_json_404(api_client_for, username):
    response = api_client_for(username).get("/api/v1/no-such-thing/",
                                            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "Not found."


@pytest.mark.django_db
def test_an_unknown_page_address_still_answers_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- the types of a JSON body -----------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/v1/search/", {"q": 12345}, "q"),
    ("/api/v1/cases/cases/", {"subject": "1", "category": "elderly"}, "subject"),
    ("/api/v1/cases/cases/search/", {"status": ["open"]}, "status"),
    ("/api/v1/pilot/plans/", {"year": 2030, "title": 7, "starts_on": "2030-01-01",
                              "ends_on": "2030-12-31"}, "title"),
])
def test_a_json_value_of_the_wrong_type_is_refused(api_client_for, url, body, field):
    """DRF read a number as text and text as a number; the schema says which one it takes."""
    response = api_client_for("city").post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert response.json()[field]


@pytest.mark.django_db
@pytest.mark.parametrize("form", [False, True])
def test_a_text_longer_than_its_maximum_is_refused_before_it_is_trimmed(api_client_for, form):
    body = {"q": "K" + " " * 200}
    client = api_client_for("city")
    response = client.post("/api/v1/search/", body) if form else client.post(
        "/api/v1/search/", body, format="json")
    assert response.status_code == 400
    assert response.json()["q"]


@pytest.mark.django_db
def test_a_form_body_is_still_read_as_text(api_client_for):
    response = api_client_for("city").post("/api/v1/search/", {"q": "12345"})
    assert response.status_code == 200
