"""One date check for the CLI, the API and the store: what it accepts and how it refuses."""

from __future__ import annotations

import warnings

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.dates import check_date
from newsgraph.errors import BadParameter
from newsgraph.store import Store


@pytest.mark.parametrize("value", ["2024", "2024-06", "2024-06-30", "2024-02-29", "1999-12-31"])
def test_dates_calendar_dates_and_their_prefixes_pass_unchanged(value):
    assert check_date(value, param="since") == value


@pytest.mark.parametrize("value,why", [
    ("2025-13", "no month 13"), ("2024-00", "no month 00"), ("2023-02-29", "has no day 29"),
    ("2024-04-31", "has no day 31"), ("24-06", "use YYYY, YYYY-MM or YYYY-MM-DD"),
    ("2024-6", "use YYYY"), ("2024/06/01", "use YYYY"), ("' OR 1=1 --", "use YYYY"), ("", "use YYYY"),
])
def test_dates_malformed_values_are_refused_naming_the_parameter(value, why):
    with pytest.raises(BadParameter) as caught:
        check_date(value, param="until")
    assert caught.value.param == "until" and why in str(caught.value)


def test_dates_the_store_refuses_what_the_check_refuses(tmp_path):
    with Store(tmp_path / "s.db") as store, pytest.raises(BadParameter, match="no month 13"):
        store.events(since="2025-13")


@pytest.mark.parametrize("args,option", [
    (["events", "--since", "2025-13"], "--since"), (["events", "--until", "2025-02-30"], "--until"),
    (["graph", "--since", "June"], "--since"), (["relations", "A", "B", "--until", "2024-99"], "--until"),
    (["export", "events", "--since", "2024-13"], "--since"), (["ingest", "x.txt", "--date", "2024-13-01"], "--date"),
])
def test_dates_cli_names_the_option_and_exits_2(args, option, tmp_path):
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output and "is not a date" in result.output
    assert "Traceback" not in result.output


def test_dates_api_refuses_a_bad_date_with_400_and_says_why(tmp_path):
    pytest.importorskip("starlette")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from newsgraph.api import ServeConfig, create_app

    Store(tmp_path / "s.db").close()
    client = TestClient(create_app(ServeConfig(db=str(tmp_path / "s.db"))), raise_server_exceptions=False)
    response = client.get("/api/events", params={"since": "2016-13"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad query parameter: since: '2016-13' is not a date: there is no month 13"
    assert body["errors"] == [{"param": "since", "message": "'2016-13' is not a date: there is no month 13"}]
    assert client.get("/api/events", params={"since": "2016-12"}).status_code == 200
