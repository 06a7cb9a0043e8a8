"""吉林省卫生健康委2019年度述职述责述廉评议考核（吉卫党委发〔2020〕1号）。"""

from importlib.resources import files

from dangjian import hookimpl


@hookimpl
def register_schemes(register):
    register(files(__package__) / "scheme.toml")
