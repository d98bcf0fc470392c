from partners_factories import (  # noqa: F401 - fixtures
    contracts,
    orgs,
    referrals,
    today,
    workers,
)
