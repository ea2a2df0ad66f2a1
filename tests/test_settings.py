"""Settings: the packaged file, a user file over it, and `[serve]` reaching the server."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.errors import SettingsError
from newsgraph.settings import CORS_ENV, TOKEN_ENV, ServeConfig, Settings, load_settings


@pytest.fixture
def user_file(tmp_path, monkeypatch):
    """Write a user settings file; the environment carries no server settings of its own."""
    for name in (TOKEN_ENV, CORS_ENV, "NEWSGRAPH_SETTINGS"):
        monkeypatch.delenv(name, raising=False)

    def write(text: str):
        path = tmp_path / "settings.toml"
        path.write_text(text, "utf-8")
        return path

    return write


def test_settings_packaged_defaults_are_the_dataclass_defaults_and_the_servers():
    packaged = load_settings()
    assert packaged == Settings()
    config = ServeConfig.from_environment("news.db", settings=packaged)
    plain = ServeConfig(db="news.db")
    assert (config.default_page, config.max_page, config.max_body, config.cors_origins) == (
        plain.default_page, plain.max_page, plain.max_body, plain.cors_origins)


def test_settings_serve_section_reaches_the_server(user_file):
    path = user_file('[serve]\ndefault_page = 20\nmax_page = 100\nmax_body = 1000\n'
                     'cors_origins = ["https://news.example.org", "http://localhost:8080"]\n')
    config = ServeConfig.from_environment("news.db", settings=load_settings(path))
    assert (config.default_page, config.max_page, config.max_body) == (20, 100, 1000)
    assert config.cors_origins == ("https://news.example.org", "http://localhost:8080")
    assert config.token is None


def test_settings_command_line_and_environment_win_over_the_file(user_file, monkeypatch):
    path = user_file('[serve]\nmax_page = 100\ncors_origins = ["https://file.example.org"]\n')
    monkeypatch.setenv(CORS_ENV, "https://env.example.org")
    monkeypatch.setenv(TOKEN_ENV, "s3cret")
    config = ServeConfig.from_environment("news.db", settings=load_settings(path), max_page=7, max_body=None)
    assert config.max_page == 7 and config.cors_origins == ("https://env.example.org",)
    assert config.token == "s3cret" and config.max_body == Settings().serve_max_body


@pytest.mark.parametrize("text,said", [
    ('[serve]\ntoken = "s3cret"\n', "NEWSGRAPH_TOKEN"),
    ("[serve]\nmax_page = 0\n", "serve.max_page must be at least 1"),
    ("[serve]\nmax_page = 1000000\n", "serve.max_page must be at most 100000"),
    ('[serve]\nmax_body = "5 MB"\n', "serve.max_body must be int"),
    ('[serve]\ncors_origins = "https://a.example.org"\n', "serve.cors_origins must be a list of strings"),
    ('[serve]\ncors_origins = ["https://a.example.org/"]\n', "is not an origin"),
    ("[serve]\npage = 5\n", "unknown setting serve.page"),
    ('[lexicons]\nextra = "places.tsv"\n', "lexicons.extra must be a list of strings"),
    ("[nlp]\nbatch_size = 0\n", "nlp.batch_size must be at least 1"),
])
def test_settings_bad_values_are_refused_with_the_key_named(user_file, text, said):
    with pytest.raises(SettingsError, match=said.replace(".", r"\.")):
        load_settings(user_file(text))


def test_settings_serve_refuses_a_bad_file_without_a_traceback(user_file, tmp_path):
    db = tmp_path / "news.db"
    db.touch()
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--settings", str(user_file("[serve]\nmax_page = -1\n"))])
    assert result.exit_code == 1
    assert "serve.max_page must be at least 1" in result.output and "Traceback" not in result.output
