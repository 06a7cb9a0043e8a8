"""`dangjian plugin new`: write a plugin distribution that installs and passes its own tests.

A fresh plugin gets the starter scheme and its golden cases; `--from SCHEME` copies an installed
scheme's file (and its golden cases) under a new id and version instead.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from string import Template

from dangjian.errors import DangjianError

NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
EMPTY_GOLDEN = "# 黄金用例：按方案规则手算的输入和结果，格式见 docs/golden-cases.md。\n"
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


class ScaffoldError(DangjianError):
    """The plugin cannot be generated (bad name, folder exists, unknown scheme)."""


@dataclass
class PluginPlan:
    """Names and files of the plugin to generate."""

    name: str
    target: Path
    title: str
    version: str
    year: int
    scheme_text: str
    scheme_file: str = "scheme.toml"
    golden: dict[str, bytes] = field(default_factory=dict)
    required: list[tuple[str, str, str]] = field(default_factory=list)  # (entry, dist, module)
    starter: bool = True

    @property
    def entry(self) -> str:
        return self.name

    @property
    def scheme_id(self) -> str:
        return self.name

    @property
    def dist(self) -> str:
        return f"dangjian-{self.name}"

    @property
    def module(self) -> str:
        return "dangjian_" + self.name.replace("-", "_")


def plugin_name(raw: str) -> str:
    """The plugin (and scheme) name: lower-case words joined by hyphens, `dangjian-` dropped."""
    name = raw.strip()
    name = name.removeprefix("dangjian-")
    if not NAME.match(name):
        raise ScaffoldError(f"插件名“{raw}”不合适：请用小写英文字母、数字和连字符，以字母开头，"
                            "如 anhui-organs-2024")
    return name


def _year_of(name: str) -> int | None:
    match = YEAR.search(name)
    return int(match.group(1)) if match else None


def _template(name: str) -> Template:
    return Template((files(__package__) / "template" / name).read_text(encoding="utf-8"))


def _activities(year: int, months: int) -> str:
    items = [f'  {{ kind = "主题党日", date = {year}-{m:02d}-15 }},' for m in range(1, months + 1)]
    return "[\n" + "\n".join(items) + "\n]"


def starter_plan(name: str, target: Path, version: str | None = None) -> PluginPlan:
    """A new plugin with the starter scheme and golden cases for the year in its name."""
    year = _year_of(name) or datetime.date.today().year
    title = f"{year}年度基层党组织党建工作考核（{name}）"
    values = {"scheme_id": name, "title": title, "version": version or f"{year}.1",
              "year": year, "module": "dangjian_" + name.replace("-", "_")}
    scheme = _template("scheme.toml.tmpl").substitute(values)
    golden = _template("golden.toml.tmpl").substitute(
        theme_days_12=_activities(year, 12), theme_days_9=_activities(year, 9))
    return PluginPlan(name=name, target=target, title=title, version=values["version"],
                      year=year, scheme_text=scheme, golden={"golden.toml": golden.encode()})


def _set_top_level(text: str, key: str, value: str) -> str:
    """Replace (or add) a top-level `key = "…"` of a TOML file, keeping everything else."""
    lines = text.splitlines(keepends=True)
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("["):
            break
        if pattern.match(line):
            lines[i] = f"{key} = {json.dumps(value, ensure_ascii=False)}\n"
            return "".join(lines)
    return f"{key} = {json.dumps(value, ensure_ascii=False)}\n" + "".join(lines)


def _owner_dists(catalog, scheme) -> list[tuple[str, str, str]]:
    """Plugins other than the kernel whose methods or checks the scheme uses, with their
    distribution and module names, so the new plugin can depend on them."""
    used: set[tuple[str, str]] = set()

    def walk(nodes):
        for node in nodes:
            if node.method:
                used.add(("method", node.method))
            walk(node.children)

    walk(scheme.criteria)
    for adj in scheme.adjustments:
        walk(adj.items)
    used.update(("method", c.method) for c in scheme.components if c.method)
    used.update(("diagnostic", d.method) for d in scheme.diagnostics)
    used.update(("batch_rule", r.method) for r in scheme.batch_rules)
    if scheme.report is not None:
        used.add(("document_check", scheme.report.check))
    owners = {catalog.owner(kind, key) for kind, key in used} - {None, "dangjian"}
    found = []
    for ep in metadata.entry_points(group="dangjian"):
        if ep.name in owners and ep.dist is not None:
            found.append((ep.name, ep.dist.name, ep.value.split(":")[0]))
    return sorted(found)


def from_scheme_plan(name: str, target: Path, source_id: str, catalog,
                     version: str | None = None) -> PluginPlan:
    """A new plugin starting from an installed scheme: its file under a new id and version,
    its golden cases copied, and a dependency on any plugin whose methods it uses."""
    from dangjian.tools.golden import golden_files

    loaded = catalog.scheme(source_id)
    old = loaded.scheme
    if not loaded.path or not Path(loaded.path).is_file():
        raise ScaffoldError(f"方案 {source_id} 不是从文件注册的，无法复制", scheme=source_id)
    path = Path(loaded.path)
    year = _year_of(name) or ((old.year + 1) if old.year else datetime.date.today().year)
    new_version = version or (f"{year}.1" if _year_of(name) else f"{old.version}.1")
    if new_version == old.version:
        new_version += ".1"
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        data["id"], data["version"] = name, new_version
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        scheme_file = "scheme.json"
    else:
        text = path.read_text(encoding="utf-8")
        text = _set_top_level(text, "version", new_version)
        text = _set_top_level(text, "id", name)
        text = (f"# 由方案 {old.id}（版本 {old.version}）复制而来。\n"
                "# 请按新一年的通知修改 title、year、as_of 和各项规则，"
                "并用 `dangjian diff` 对照上一年的方案。\n" + text)
        scheme_file = "scheme.toml"
    golden = {p.name: p.read_bytes() for p in golden_files(path)} or {
        "golden.toml": EMPTY_GOLDEN.encode()}
    return PluginPlan(name=name, target=target, title=old.title, version=new_version, year=year,
                      scheme_text=text, scheme_file=scheme_file, golden=golden,
                      required=_owner_dists(catalog, old), starter=False)


def write_plugin(plan: PluginPlan) -> list[Path]:
    """Write the distribution's files; refuses to overwrite a folder that is not empty."""
    root = plan.target
    if root.exists() and any(root.iterdir()):
        raise ScaffoldError(f"目录 {root} 已存在且不为空，请换一个名字或用 --dir 指定别的位置",
                            file=str(root))
    module_dir = root / "src" / plan.module
    required_modules = [module for _entry, _dist, module in plan.required]
    dependencies = ['"dangjian>=0.1"'] + [f'"{dist}"' for _entry, dist, _module in plan.required]
    selected = ",".join([plan.entry] + [entry for entry, _dist, _module in plan.required])
    values = {
        "dist": plan.dist, "module": plan.module, "entry": plan.entry,
        "scheme_id": plan.scheme_id, "title": plan.title, "version": plan.version,
        "year": plan.year, "scheme_file": plan.scheme_file,
        "dependencies": ", ".join(dependencies),
        "required_modules": json.dumps(required_modules),
        "selected": json.dumps(selected),
    }
    outputs: dict[Path, bytes] = {
        root / "pyproject.toml": _template("pyproject.toml.tmpl").substitute(values).encode(),
        root / "README.md": _template("README.md.tmpl").substitute(values).encode(),
        module_dir / "__init__.py": _template("__init__.py.tmpl").substitute(values).encode(),
        module_dir / plan.scheme_file: plan.scheme_text.encode(),
        root / "tests" / "test_plugin.py":
            _template("test_plugin.py.tmpl").substitute(values).encode(),
        root / ".gitignore": b"__pycache__/\n*.egg-info/\ndist/\n.venv/\n",
    }
    for golden_name, data in plan.golden.items():
        outputs[module_dir / golden_name] = data
    if plan.starter:
        outputs[root / "tests" / "test_scoring.py"] = (
            _template("test_scoring.py.tmpl").substitute(values).encode())
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return sorted(outputs)
