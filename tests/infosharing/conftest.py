"""Fixtures of the information-sharing tests: a Xiangzhou person with a case, an authorization
covering Macau and Hengqin, a draft request to Macau and the same request sent."""
import pytest
from infosharing_factories import make_authorization, make_case, make_person


@pytest.fixture
def person(users):
    return make_person(users["district"])


@pytest.fixture
def case(users, person):
    return make_case(users["district"], person)


@pytest.fixture
def authorization(users, person):
    return make_authorization(users["district"], person)


@pytest.fixture
def draft(users, case, authorization):
    from infosharing.services import verification_request_create

    return verification_request_create(actor=users["district"], case=case,
                                       categories=["income", "deposits"], receiving_side="macau",
                                       question="请核实其在澳门的收入与存款", authorization=authorization)


@pytest.fixture
def sent(users, draft):
    from infosharing.services import verification_request_send

    return verification_request_send(actor=users["district"], request=draft)


@pytest.fixture(autouse=True)
def _english():
    """Services' messages are asserted in English (pages follow the user's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
