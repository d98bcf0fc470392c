"""Fixtures for temporary relief: a policy (standard ¥1,000: district ¥3,000, city ¥6,000,
fast track ¥1,000), the special fund with ¥100,000, a Macau resident with a case in Xiangzhou,
and a second Xiangzhou officer (the four-eyes checker of district approvals)."""
from datetime import date

import pytest

import tempaid_factories as factories


@pytest.fixture
def policy(users):
    return factories.policy(users["city"])


@pytest.fixture
def fund(users):
    return factories.fund(users["finance"], amount="100000")


@pytest.fixture
def reviewer(users, agencies):
    return factories.second_district_officer(agencies)


@pytest.fixture
def case(users):
    return factories.case(users["district"])


@pytest.fixture
def make_application(users, case, policy, fund):
    def make(amount="500", *, actor=None, submit=True, review=True, fast_track=False,
             on_case=None, **kwargs):
        return factories.application(actor or users["district"], on_case or case, amount=amount,
                                     submit=submit, review=review, fast_track=fast_track,
                                     **kwargs)
    return make


@pytest.fixture
def today():
    return date.today()
