"""What if, over a stored run (read key): the kernel's `whatif_run`, as `dangjian whatif` calls
it, so the body is byte for byte what `dangjian whatif … --format json` prints.

Only installed schemes can be named here: a scheme file path would read the server's files.
Nothing is stored.
"""

from __future__ import annotations

from dangjian.store.whatif import WhatIf, whatif_run
from litestar import post
from litestar.datastructures import State
from litestar.params import JSONBody

from .database import store_at
from .docs import errors
from .runs import READ, RunId
from .wire import WhatIfRequest


@post("/runs/{run_id:int}/whatif", summary="推演：按另一方案或修改后的参数重新评定一个批次",
      response_description="等次变化矩阵、结果运用与荣誉的变化、总分变化最大的组织、不可比较的组织",
      status_code=200, responses=errors(400, 401, 404, 413), **READ)
def whatif(state: State, run_id: RunId, data: JSONBody[WhatIfRequest]) -> WhatIf:
    """需要读权限的密钥，不存储任何内容。`scheme` 为已安装的方案编号（省略时用本批次的方案），
    `set` 按路径修改参数（如 `{"components.onsite.weight": "0.6"}`），修改后按 dangjian check
    的规则检查；`top` 为列出的组织数。与 `dangjian whatif … --format json` 的输出逐字节相同。"""
    with store_at(state.settings.db_path) as store:
        return whatif_run(store, state.catalog, run_id, scheme=data.scheme,
                          overrides=data.overrides, top=data.top, files=False)


ROUTES = [whatif]
