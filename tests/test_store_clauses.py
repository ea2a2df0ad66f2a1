"""The filter tests that choose a listing's plan (`store.clauses.only_filters`)."""

from __future__ import annotations

import pytest

from newsgraph.store.clauses import only_filters


@pytest.mark.parametrize(
    ("filters", "keys", "only"),
    [
        ({"place": "Kyiv", "actor": None, "cameo": ""}, ("place",), True),  # empty means unset
        ({"place": "Kyiv", "actor": "Lee"}, ("place",), False),
        ({"place": None, "actor": None}, ("place",), False),  # nothing set at all
        ({"actor": "Lee", "country": "UKR", "cameo": None}, ("actor", "actor_id", "country"), True),
        ({"actor_id": 0, "cameo": None}, ("actor_id",), True),  # 0 is a value the WHERE clause applies
        ({"actor_id": 7, "cameo": "04"}, ("actor_id",), False),
    ],
)
def test_only_filters_tells_a_filter_given_alone(filters, keys, only):
    assert only_filters(filters, keys) is only
