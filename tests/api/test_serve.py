"""`dangjian serve` settings: checked before uvicorn starts, passed to workers by environment."""

from __future__ import annotations

import pytest
from dangjian.errors import DangjianError
from dangjian_shell.api.app import app_from_env
from dangjian_shell.api.settings import DEFAULT_MAX_BODY, settings_from_env
from dangjian_shell.cli import app as cli_app
from dangjian_shell.serve import serve
from litestar.testing import TestClient
from typer.testing import CliRunner

from .conftest import SCHEME, branch


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("DANGJIAN_DB", "DANGJIAN_API_KEYS", "DANGJIAN_API_KEYS_FILE",
                 "DANGJIAN_API_MAX_BODY", "DANGJIAN_API_CORS_ORIGINS", "DANGJIAN_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_worker_app_reads_database_keys_limit_and_cors_from_the_environment(clean_env, tmp_path):
    db = tmp_path / "workers.db"
    clean_env.setenv("DANGJIAN_DB", str(db))
    clean_env.setenv("DANGJIAN_API_KEYS", "k1:read")
    clean_env.setenv("DANGJIAN_API_MAX_BODY", "4096")
    clean_env.setenv("DANGJIAN_API_CORS_ORIGINS", "https://oa.example.org")
    with TestClient(app_from_env()) as client:
        assert db.is_file()  # created and migrated at startup
        assert client.get("/runs", headers={"Authorization": "Bearer k1"}).json() == []
        too_big = client.post(f"/schemes/{SCHEME}/score",
                              json=branch(onsite=[90] * 2000, superior=90))
        assert too_big.status_code == 413
        allowed = client.options("/schemes", headers={
            "Origin": "https://oa.example.org", "Access-Control-Request-Method": "GET"})
        assert allowed.headers["access-control-allow-origin"] == "https://oa.example.org"


def test_cors_is_closed_by_default(clean_env, tmp_path):
    clean_env.setenv("DANGJIAN_DB", str(tmp_path / "a.db"))
    with TestClient(app_from_env()) as client:
        response = client.get("/schemes", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_defaults(clean_env):
    settings = settings_from_env()
    assert settings.db_path == "dangjian.db"
    assert settings.max_body == DEFAULT_MAX_BODY == 10 * 1024 * 1024
    assert len(settings.keys) == 0 and settings.cors_origins == ()


@pytest.mark.parametrize("value", ["0", "-5", "ten"])
def test_a_bad_body_limit_names_the_variable(clean_env, value):
    clean_env.setenv("DANGJIAN_API_MAX_BODY", value)
    with pytest.raises(DangjianError, match="DANGJIAN_API_MAX_BODY 应为正整数"):
        settings_from_env()


def test_serve_refuses_bad_options_before_starting(clean_env, tmp_path):
    with pytest.raises(DangjianError, match="--workers 应不小于 1"):
        serve(workers=0, db=str(tmp_path / "a.db"))
    with pytest.raises(DangjianError, match="数据库所在目录 .* 不存在"):
        serve(db=str(tmp_path / "missing" / "a.db"))
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_bytes(b"plain text, not SQLite" * 200)
    with pytest.raises(DangjianError, match="无法打开评分数据库"):
        serve(db=str(not_a_db))
    clean_env.setenv("DANGJIAN_API_KEYS_FILE", str(tmp_path / "absent-keys.txt"))
    with pytest.raises(DangjianError, match="API 密钥文件 .* 不存在"):
        serve(db=str(tmp_path / "a.db"))


def test_dangjian_serve_reports_a_bad_option_in_one_chinese_line(clean_env, tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "no" / "x.db")])
    assert result.exit_code != 0
    assert "数据库所在目录" in result.output
    assert "Traceback" not in result.output
