"""Settings come from the environment and name the variable when a value is unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import InvalidSettings, load_settings


def test_defaults_without_environment(tmp_path: Path) -> None:
    settings = load_settings({}, dotenv=tmp_path / "absent")
    assert (settings.host, settings.port, settings.model_backend) == ("127.0.0.1", 9403, "auto")
    assert settings.database_url is None
    assert settings.embedded_pg_dir == Path(".o3s/pg")


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nO3S_PORT=1234\nREDIS_URL='redis://x:1/0'\nLOG_LEVEL=debug\n")
    settings = load_settings({"O3S_PORT": "5678", "O3S_CWD": "/srv/work"}, dotenv=dotenv)
    assert settings.port == 5678
    assert settings.redis_url == "redis://x:1/0"
    assert settings.cwd == Path("/srv/work")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"O3S_PORT": "eighty"}, "O3S_PORT='eighty' is invalid: Expected `int`"),
        ({"O3S_MODEL_BACKEND": "gpt"}, "O3S_MODEL_BACKEND='gpt' is invalid: Invalid enum value 'gpt'"),
    ],
)
def test_an_unusable_value_names_its_variable(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidSettings, match=message):
        load_settings(env, dotenv=tmp_path / "absent")
