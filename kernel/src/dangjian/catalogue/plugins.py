"""The plugin manager factory and the catalogue of what plugins registered.

Load order: hookspecs, entry points (group `dangjian`, filtered by `DANGJIAN_PLUGINS`), the
kernel's default plugin, `check_pending()`. Hooks are called here once; nothing per record.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from dangjian import hookspecs
from dangjian.catalogue import installed
from dangjian.catalogue.check import check_scheme
from dangjian.errors import DangjianError, DuplicateError, NotFound, PluginError, SchemeError
from dangjian.extension import BatchRule, DiagnosticMethod, DocumentCheck, Method, Rollup
from dangjian.catalogue.loading import SCHEME_FILE, LoadedScheme, load_scheme, scheme_hash
from dangjian.models import OrgType, org_type_id
from dangjian.scheme import Scheme

ENTRY_POINT_GROUP = "dangjian"
DEFAULT_PLUGIN = "dangjian"  # the name the kernel's own defaults register under
KIND_TITLES = {"org_type": "组织类型", "method": "评分方法", "diagnostic": "诊断方法",
               "document_check": "报告检查", "batch_rule": "批次规则", "scheme": "方案",
               "rollup": "汇总"}
PLUGINS_ENV = "DANGJIAN_PLUGINS"
DEFAULT_PLUGINS = ("dangjian.catalogue.default_plugin",)


@dataclass
class PluginInfo:
    """One loaded (or refused) plugin: its name, version and what it registered."""

    name: str
    version: str
    module: str
    registered: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    default: bool = False

    def to_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "module": self.module,
                "default": self.default, "registered": self.registered, "errors": self.errors}


def _dist_version(module: object, installation: installed.Installation) -> str:
    """The version of the distribution a plugin module comes from: the distribution named like
    the module first (cheap), then a scan of every installed distribution's files."""
    top = (getattr(module, "__module__", None) or getattr(module, "__name__", "")).split(".")[0]
    found = installation.version(top.replace("_", "-"))
    if found is not None:
        return found
    from importlib import metadata

    for dist in metadata.packages_distributions().get(top, []):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return getattr(module, "__version__", "0")


def _selected(names: str | None) -> set[str] | None:
    if names is None:
        return None
    return {n.strip() for n in names.split(",") if n.strip()}


def make_plugin_manager(
    *,
    entry_points: bool = True,
    plugins: tuple[object, ...] | list[object] = (),
    selected: str | None = None,
) -> tuple[pluggy.PluginManager, list[PluginInfo]]:
    """A fresh plugin manager: entry points (unless disabled), `plugins`, then the defaults.

    `selected` (default: the `DANGJIAN_PLUGINS` environment variable) is a comma-separated list
    of entry-point names to load; unset loads all, empty loads none. A plugin that fails to
    import is refused with its error recorded; the others still load.
    """
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    wanted = _selected(selected if selected is not None else os.environ.get(PLUGINS_ENV))
    installation = installed.Installation()
    if entry_points:
        for ep in sorted(installation.entry_points(ENTRY_POINT_GROUP), key=lambda e: e.name):
            if wanted is not None and ep.name not in wanted:
                continue
            version = ep.version
            try:
                module = ep.load()
                pm.register(module, name=ep.name)
            except BaseException as exc:  # a broken plugin must not take the others down
                if isinstance(exc, KeyboardInterrupt):
                    raise
                infos.append(PluginInfo(ep.name, version, ep.value,
                                        errors=[f"插件 {ep.name} 无法加载，已停用：{_fault(exc)}"]))
                continue
            infos.append(PluginInfo(ep.name, version, ep.value))
    for plugin in plugins:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        pm.register(plugin, name=name)
        infos.append(PluginInfo(name, _dist_version(plugin, installation), name))
    for module_name in DEFAULT_PLUGINS:
        module = importlib.import_module(module_name)
        pm.register(module, name=DEFAULT_PLUGIN)
        infos.append(PluginInfo(DEFAULT_PLUGIN, _dist_version(module, installation), module_name,
                                default=True))
    while True:
        try:
            pm.check_pending()
            break
        except pluggy.PluginValidationError as exc:
            name = pm.get_name(exc.plugin) or "?"
            pm.unregister(exc.plugin)
            for info in infos:
                if info.name == name:
                    info.errors.append(f"实现了不存在的钩子，已停用：{exc}")
    return pm, infos


class Catalog:
    """Everything the loaded plugins registered, keyed by id, each with the plugin that gave it."""

    def __init__(self, infos: list[PluginInfo]) -> None:
        self.plugins = {info.name: info for info in infos}
        self.org_types: dict[str, OrgType] = {}
        self.methods: dict[str, Method] = {}
        self.diagnostics: dict[str, DiagnosticMethod] = {}
        self.document_checks: dict[str, DocumentCheck] = {}
        self.batch_rules: dict[str, BatchRule] = {}
        self.rollups: dict[str, Rollup] = {}
        self.schemes: dict[str, LoadedScheme] = {}
        self.owners: dict[tuple[str, str], str] = {}
        self.contested: dict[tuple[str, str], list[str]] = {}
        self._stores: dict[str, dict] = {
            "org_type": self.org_types, "method": self.methods, "diagnostic": self.diagnostics,
            "document_check": self.document_checks, "batch_rule": self.batch_rules,
            "rollup": self.rollups, "scheme": self.schemes}
        self._plans: dict[str, Any] = {}
        self.disabled: set[str] = set()

    def disable(self, plugin: str, reason: str) -> None:
        """Switch a plugin off: no further hook of it is called, and it is named with why."""
        self.disabled.add(plugin)
        self.plugins[plugin].errors.append(f"插件 {plugin} 已停用：{reason}")

    # -- registration ---------------------------------------------------------------------
    def _record(self, plugin: str, kind: str, key: str) -> None:
        """Record who registered `key`, refusing duplicates without regard to load order.

        The kernel's defaults keep their ids. Between plugins, an id that is a plugin's own name
        (the scheme `jilin-health-2019` of the plugin `jilin-health-2019`) stays with that plugin;
        any other id claimed twice is contested and refused to both, naming both."""
        title = KIND_TITLES.get(kind, kind)
        claimants = self.contested.get((kind, key))
        if claimants is not None:
            claimants.append(plugin)
            raise DuplicateError(f"{title} “{key}” 被插件 {'、'.join(claimants)} 重复注册，"
                                 "无法确定归属，均不采用", plugin=plugin)
        owner = self.owners.get((kind, key))
        if owner is None:
            self._claim(plugin, kind, key)
            return
        if owner == plugin or owner == DEFAULT_PLUGIN or key == owner:
            raise DuplicateError(f"{title} “{key}” 已由插件 {owner} 注册，"
                                 f"插件 {plugin} 不能重复注册", plugin=plugin)
        self._evict(owner, kind, key)
        if key == plugin:
            self._claim(plugin, kind, key)
            self.plugins[owner].errors.append(str(DuplicateError(
                f"{title} “{key}” 已由插件 {plugin} 注册，插件 {owner} 不能重复注册",
                plugin=owner)))
            return
        self.contested[(kind, key)] = [owner, plugin]
        message = f"{title} “{key}” 被插件 {owner}、{plugin} 重复注册，无法确定归属，均不采用"
        self.plugins[owner].errors.append(str(DuplicateError(message, plugin=owner)))
        raise DuplicateError(message, plugin=plugin)

    def _claim(self, plugin: str, kind: str, key: str) -> None:
        self.owners[(kind, key)] = plugin
        self.plugins[plugin].registered.setdefault(kind, []).append(key)

    def _evict(self, owner: str, kind: str, key: str) -> None:
        del self.owners[(kind, key)]
        registered = self.plugins[owner].registered
        registered[kind].remove(key)
        if not registered[kind]:
            del registered[kind]
        self._stores[kind].pop(key, None)

    def _add(self, plugin: str, kind: str, expected: type, item: Any) -> None:
        if not isinstance(item, expected):
            raise PluginError(f"register 需要 {expected.__name__}，收到 {type(item).__name__}",
                              plugin=plugin)
        key = getattr(item, "id", None) or item.name
        self._record(plugin, kind, key)
        self._stores[kind][key] = item

    def add_scheme(self, plugin: str, item: Scheme | str | Path | Any, *,
                   path: str | None = None) -> None:
        if not isinstance(item, Scheme):
            path = str(item)
            item = load_scheme(item, plugin=plugin)
        try:
            findings = check_scheme(item, self)
        except DangjianError:
            raise
        except BaseException as exc:  # a method compile step failing on its params
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise SchemeError(f"评分方法无法按本方案的参数编译：{_fault(exc)}",
                              plugin=plugin, scheme=item.id, file=path) from None
        errors = [f for f in findings if f.level == "error"]
        if errors:
            raise SchemeError("；".join(f"{f.where}: {f.message}" for f in errors[:5]),
                              plugin=plugin, scheme=item.id, file=path)
        self._record(plugin, "scheme", item.id)
        self.schemes[item.id] = LoadedScheme(item, plugin, path, scheme_hash(item))

    def add_scheme_file(self, path: str | Path) -> LoadedScheme:
        """Register a scheme file beside the installed plugins, so it may use their methods.

        The file is reported as coming from the plugin `scheme-file`. A file with the id of an
        installed scheme replaces it (a draft of the next version); the installed file itself
        is returned as installed."""
        path = Path(path)
        scheme = load_scheme(path, plugin=SCHEME_FILE)
        installed = self.schemes.get(scheme.id)
        if installed is not None:
            if installed.path and Path(installed.path).resolve() == path.resolve():
                return installed
            self._evict(installed.plugin, "scheme", scheme.id)
            self._plans.pop(scheme.id, None)
        self.plugins[SCHEME_FILE] = PluginInfo(SCHEME_FILE, scheme.version, str(path))
        self.add_scheme(SCHEME_FILE, scheme, path=str(path))
        return self.schemes[scheme.id]

    def type_id(self, text: str) -> str | None:
        """The id of an organization type written as its id (`branch`) or its title (`党支部`);
        None when no registered type is called that."""
        return org_type_id(self.org_types, text)

    def owner(self, kind: str, key: str) -> str | None:
        return self.owners.get((kind, key))

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [(info.name, err) for info in self.plugins.values() for err in info.errors]

    # -- lookup -----------------------------------------------------------------------------
    def scheme(self, scheme_id: str) -> LoadedScheme:
        try:
            return self.schemes[scheme_id]
        except KeyError:
            known = "、".join(sorted(self.schemes)) or "无"
            faulty = sorted({plugin for plugin, _ in self.problems})
            hint = f"；插件 {'、'.join(faulty)} 加载出错，详见 dangjian plugins" if faulty else ""
            raise NotFound(f"未知的方案 {scheme_id}（已安装：{known}）{hint}",
                           scheme=scheme_id) from None

    def plan(self, scheme_id: str):
        """The compiled plan of a scheme, compiled once per catalogue."""
        plan = self._plans.get(scheme_id)
        if plan is None:
            from dangjian.scoring.engine import compile_scheme

            plan = self._plans[scheme_id] = compile_scheme(self.scheme(scheme_id), self)
        return plan

    def rollups_for(self, scheme_id: str) -> list[Rollup]:
        """The roll-ups registered for a scheme, in registration order."""
        return [r for r in self.rollups.values() if scheme_id in r.schemes]

    def versions(self, plugins: set[str]) -> dict[str, str]:
        return {name: self.plugins[name].version for name in sorted(plugins) if name in self.plugins}


_KINDS: list[tuple[str, str, type]] = [
    ("register_org_types", "org_type", OrgType),
    ("register_methods", "method", Method),
    ("register_diagnostics", "diagnostic", DiagnosticMethod),
    ("register_document_checks", "document_check", DocumentCheck),
    ("register_batch_rules", "batch_rule", BatchRule),
    ("register_rollups", "rollup", Rollup),
]


def _call_each(pm: pluggy.PluginManager, hook_name: str, catalog: Catalog,
               add: Callable[[str, Any], None]) -> None:
    """Call one registration hook plugin by plugin, so each item is recorded with its plugin
    and one plugin's faults are contained and reported under its name."""
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    # The kernel's defaults first, so their ids are taken before any plugin asks (see _record).
    ordered = [i for i in impls if i.plugin_name == DEFAULT_PLUGIN] + [
        i for i in impls if i.plugin_name != DEFAULT_PLUGIN]
    for impl in ordered:
        plugin = impl.plugin_name
        if plugin in catalog.disabled:
            continue

        def register(item: Any, _plugin: str = plugin, _hook: str = hook_name) -> None:
            if _plugin in catalog.disabled:
                return
            try:
                add(_plugin, item)
            except DangjianError as exc:
                exc.plugin = exc.plugin or _plugin
                catalog.plugins[_plugin].errors.append(str(exc))
            except Exception as exc:  # noqa: BLE001 — refuse this item, keep the others
                catalog.plugins[_plugin].errors.append(
                    f"{_hook} 出错：{type(exc).__name__}: {exc}（{_item_name(item)}）")
            except BaseException as exc:  # SystemExit from plugin code: switch the plugin off
                if isinstance(exc, KeyboardInterrupt):
                    raise
                catalog.disable(_plugin, f"{_hook} 中{_fault(exc)}（{_item_name(item)}）")

        try:
            impl.function(**{name: register for name in impl.argnames})
        except Exception as exc:
            catalog.plugins[plugin].errors.append(f"{hook_name} 出错：{type(exc).__name__}: {exc}")
        except BaseException as exc:  # SystemExit and the like: this plugin is switched off
            if isinstance(exc, KeyboardInterrupt):
                raise
            catalog.disable(plugin, f"{hook_name} 中{_fault(exc)}")


def _fault(exc: BaseException) -> str:
    """A plugin's exception in a line; exiting the program is named as such."""
    if isinstance(exc, SystemExit):
        return f"插件试图退出程序（SystemExit: {exc.code}）"
    return f"{type(exc).__name__}: {exc}"


def _item_name(item: Any) -> str:
    """What a plugin tried to register, for an error message: an id, a name or a file."""
    for attr in ("id", "name"):
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    return str(item)


def build_catalog(pm: pluggy.PluginManager, infos: list[PluginInfo]) -> Catalog:
    """Ask every plugin what it registers; schemes last, so they can use any plugin's methods."""
    catalog = Catalog(infos)
    for hook_name, kind, expected in _KINDS:
        _call_each(pm, hook_name, catalog,
                   lambda plugin, item, k=kind, e=expected: catalog._add(plugin, k, e, item))
    _call_each(pm, "register_schemes", catalog, catalog.add_scheme)
    return catalog


def load_catalog(*, plugins: tuple[object, ...] | list[object] = (), entry_points: bool = True,
                 selected: str | None = None) -> Catalog:
    """The catalogue of installed plugins (plus any plugin objects given), freshly built."""
    pm, infos = make_plugin_manager(entry_points=entry_points, plugins=plugins, selected=selected)
    return build_catalog(pm, infos)
