"""`dangjian plugins`, `schemes`, `show`, `check`, `--help` and `--version`."""

from __future__ import annotations

import json
import re

from .conftest import SECRETARIES

COMMANDS = ["plugins", "schemes", "show", "check", "template", "score", "explain", "runs",
            "results", "sample", "coverage", "lint-report", "deadlines", "demo", "serve"]


def test_help_lists_every_command_and_version_prints(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert f" {command} " in result.stdout, command
    version = cli("--version")
    assert version.exit_code == 0 and version.stdout.startswith("dangjian-shell ")
    assert "内核 dangjian" in version.stdout


def test_every_help_page_speaks_chinese(cli):
    pages = [(), *((c,) for c in COMMANDS), ("rollup",), ("flags",), ("test",), ("diff",),
             ("plugin",), ("plugin", "new"), ("plugin", "schema")]
    for page in pages:
        result = cli(*page, "--help")
        assert result.exit_code == 0, page
        assert "显示帮助并退出" in result.stdout, page
        assert "Show this message" not in result.stdout, page


def test_plugins_table_and_json(cli):
    text = cli("plugins").stdout
    assert "dangjian（内置）" in text and "组织类型：party_group" in text
    plugins = {p["name"]: p for p in json.loads(cli("plugins", "--json").stdout)}
    assert plugins["dangjian"]["default"] is True
    assert "rating" in plugins["dangjian"]["registered"]["method"]
    assert "jilin-health-2019" in plugins["jilin-health-2019"]["registered"]["scheme"]


def test_schemes_lists_installed_schemes(cli):
    assert "jilin-health-2019" in cli("schemes").stdout
    rows = {r["id"]: r for r in json.loads(cli("schemes", "--json").stdout)}
    assert rows["jilin-health-2019"]["plugin"] == "jilin-health-2019"
    assert len(rows["jilin-health-2019"]["hash"]) == 16


def test_plugin_selection_by_environment(cli):
    result = cli("schemes", "--json", env={"DANGJIAN_PLUGINS": ""})
    assert json.loads(result.stdout) == []


def test_show_draws_weights_bands_vetoes_and_tools(cli):
    result = cli("show", SECRETARIES)
    assert result.exit_code == 0
    text = result.stdout
    for expected in ("述评现场评议：权重 70%，满分100，方法：评议测评（数字或等次票），输入：现场评议测评",
                     "上级党组织评议：权重 30%",
                     "“较好”：80分及以上、低于90分",
                     "“好”：90分及以上",
                     "总分四舍五入保留2位小数，按取舍后的总分定等次",
                     "党风廉政建设出现问题：当党风廉政建设出现问题（任一为是）时，不得评为先进集体",
                     "约谈：当等次为“一般”、“差”时",
                     "随机抽取不少于 1/3（向上取整）现场述职",
                     "上报本单位工作方案：2020年1月14日前（含当日）",
                     "党支部（上级为党委） → 所在的上级组织",
                     "c4.4 落实“三会一课”、主题党日等基本组织生活制度情况（内容项，不计分）"):
        assert expected in text, expected


def test_show_installed_scheme_and_json(cli):
    assert "2019年度吉林省卫生健康委" in cli("show", "jilin-health-2019").stdout
    shown = json.loads(cli("show", SECRETARIES, "--json").stdout)
    assert shown["plugin"] == "scheme-file"
    assert [c["weight"] for c in shown["scheme"]["components"]] == [0.7, 0.3]


def test_show_unknown_scheme_is_a_chinese_error_without_traceback(cli):
    result = cli("show", "no-such-scheme")
    assert result.exit_code == 1
    assert "未知的方案 no-such-scheme（已安装：" in result.stderr
    assert "Traceback" not in result.output


def test_check_passes_a_good_scheme_file_and_an_installed_scheme(cli):
    result = cli("check", SECRETARIES)
    assert result.exit_code == 0 and "通过（0 个错误" in result.stderr
    assert cli("check", "jilin-health-2019").exit_code == 0


def test_check_fails_a_scheme_with_overlapping_bands(cli, data):
    broken = data / "broken.toml"
    text = SECRETARIES.read_text(encoding="utf-8").replace("min = 80\nbelow = 90",
                                                           "min = 80\nbelow = 95")
    broken.write_text(text, encoding="utf-8")
    result = cli("check", broken)
    assert result.exit_code == 1
    assert "等次“较好”与“好”重叠" in result.stdout and "未通过" in result.stderr
    findings = json.loads(cli("check", broken, "--json").stdout)
    assert findings["ok"] is False and findings["findings"][0]["level"] == "error"


def test_scheme_file_errors_name_file_and_key(cli, data):
    bad = data / "bad.toml"
    bad.write_text('id = "x"\ntitle = "x"\nversion = "1"\nweights = 3\n', encoding="utf-8")
    result = cli("show", bad)
    assert result.exit_code == 1 and "bad.toml" in result.stderr and "未知的键 weights" in result.stderr


def test_serve_help_names_its_options(cli):
    result = cli("serve", "--help")
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers", "--db"):
        assert option in result.stdout
    assert "127.0.0.1" in result.stdout and "8000" in result.stdout


def test_show_speaks_the_clerks_language_not_ids(cli):
    text = cli("show", "jilin-health-2019").stdout
    assert "{nearest}" not in text and "{parent}" not in text
    assert "党总支、党支部（上级中有党委） → 最近的上级党委" in text
    assert "党支部（上级为党总支） → 所在的上级组织" in text
    assert "权重 70%，满分100，方法：评议测评（数字或等次票），输入：现场评议测评" in text
    assert "权重 30%，满分100，方法：直接评分，输入：上级党组织评议得分" in text
    assert "方法 rating" not in text and "方法 number" not in text
    city = cli("show", "city-health-2023").stdout
    assert "方法：支部班子结构检查，输入：支委会委员人数（含书记）" in city
    assert "党员人数（members）：整数，必填，不小于1" in city
    for scheme in ("jilin-health-2020", "hubei-organs-2022", "tibet-health-2019"):
        shown = cli("show", scheme).stdout
        assert not re.search(r"方法[ ：](completion|frequency|rating|number|ratio|boolean|"
                             r"checklist|per_occurrence|deadline|ballots)\b", shown), scheme
