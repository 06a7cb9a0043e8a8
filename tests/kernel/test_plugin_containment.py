"""A plugin's faults are contained item by item and reported in Chinese under its name."""

from __future__ import annotations

import pytest
from dangjian import Method, Outcome, hookimpl, load_catalog
from dangjian.errors import NotFound, SchemeError
from dangjian.catalogue.loading import decode_scheme

SCHEME = """
id = "{id}"
title = "临时方案"
version = "1"
max = 10
[[inputs]]
name = "a"
title = "甲"
[[criteria]]
id = "c"
title = "丙"
max = 10
method = "{method}"
input = "a"
[[bands]]
grade = "合格"
min = 0
"""


def scheme(scheme_id: str, method: str = "number"):
    text = SCHEME.format(id=scheme_id, method=method)
    return decode_scheme(text.encode(), file=f"{scheme_id}.toml")


class Fragile:
    """One scheme whose method cannot compile its params, then one that is fine."""

    @hookimpl
    def register_methods(self, register):
        def compile_fragile(spec):
            raise KeyError("factor")
        register(Method(name="fragile", title="脆弱", compile=compile_fragile))
        register(Method(name="fine", title="正常",
                        compile=lambda spec: lambda ctx: Outcome(ctx.inputs["a"], "ok")))

    @hookimpl
    def register_schemes(self, register):
        register(scheme("fragile", "fragile"))
        register(scheme("fine", "fine"))


def test_a_scheme_whose_method_cannot_compile_is_refused_and_the_next_one_registers():
    catalog = load_catalog(entry_points=False, plugins=[Fragile()])
    assert "fine" in catalog.schemes and "fragile" not in catalog.schemes
    message = "插件 Fragile，方案 fragile：评分方法无法按本方案的参数编译：KeyError: 'factor'"
    assert catalog.problems == [("Fragile", message)]


class Vanishing:
    """A scheme resource whose reading fails in a way no one planned for."""

    name = "gone.toml"

    def read_bytes(self):
        raise RuntimeError("磁盘已移除")


def test_an_unexpected_error_while_registering_one_item_spares_the_others():
    class Odd:
        @hookimpl
        def register_schemes(self, register):
            register(Vanishing())
            register(scheme("after-odd"))

    catalog = load_catalog(entry_points=False, plugins=[Odd()])
    assert "after-odd" in catalog.schemes
    assert catalog.problems == [("Odd", "register_schemes 出错：RuntimeError: 磁盘已移除（gone.toml）")]


def test_a_duplicate_names_the_kind_in_chinese():
    class First:
        @hookimpl
        def register_schemes(self, register):
            register(scheme("same"))

    class Second(First):
        pass

    contested = "方案 “same” 被插件 {}、{} 重复注册，无法确定归属，均不采用"
    for first, second in ((First(), Second()), (Second(), First())):
        catalog = load_catalog(entry_points=False, plugins=[first, second])
        names = [type(first).__name__, type(second).__name__]
        assert catalog.problems == [
            (name, f"插件 {name}：" + contested.format(*names)) for name in names]
        assert "same" not in catalog.schemes and ("scheme", "same") not in catalog.owners
        assert all("scheme" not in catalog.plugins[name].registered
                   or "same" not in catalog.plugins[name].registered["scheme"] for name in names)


def test_an_unknown_scheme_points_to_the_plugins_that_failed():
    catalog = load_catalog(entry_points=False, plugins=[Fragile()])
    with pytest.raises(NotFound) as info:
        catalog.scheme("fragile")
    assert info.value.message.endswith("；插件 Fragile 加载出错，详见 dangjian plugins")
    with pytest.raises(NotFound) as clean:
        load_catalog(entry_points=False).scheme("nothing")
    assert "加载出错" not in clean.value.message


def test_adding_a_scheme_file_with_an_uncompilable_method_is_a_scheme_error():
    catalog = load_catalog(entry_points=False, plugins=[Fragile()])
    with pytest.raises(SchemeError) as info:
        catalog.add_scheme("scheme-file", scheme("draft", "fragile"))
    assert info.value.scheme == "draft" and "KeyError" in info.value.message
