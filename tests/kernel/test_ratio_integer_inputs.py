"""ratio with integer inputs: 45 trained of 60 members is 75%, which reaches 0.6 but not 0.9."""

from __future__ import annotations

from dangjian import hookimpl, load_catalog
from dangjian.catalogue.loading import decode_scheme
from dangjian.scoring.records import evaluation_from_object

SCHEME = """
id = "ratio-integers"
title = "比率"
version = "1"
[[inputs]]
name = "trained"
title = "参加培训人数"
type = "integer"
[[inputs]]
name = "members"
title = "党员人数"
type = "integer"
[[inputs]]
name = "rate"
title = "覆盖率（%）"
type = "integer"
[[criteria]]
id = "by_counts"
title = "按人数"
max = 10
method = "ratio"
params = { numerator = "trained", denominator = "members", thresholds = [{ at_least = 0.9, points = 10 }, { at_least = 0.6, points = 6 }] }
[[criteria]]
id = "by_percent"
title = "按百分数"
max = 10
method = "ratio"
input = "rate"
params = { percent = true }
[[bands]]
grade = "合格"
min = 0
"""


def test_integer_counts_and_integer_percent_give_exact_points():
    scheme = decode_scheme(SCHEME.encode(), file="ratio.toml")

    class Plugin:
        @hookimpl
        def register_schemes(self, register):
            register(scheme)

    plan = load_catalog(entry_points=False, plugins=[Plugin()]).plan("ratio-integers")
    result = plan.score(evaluation_from_object(
        {"org_id": "b1", "inputs": {"trained": 45, "members": 60, "rate": 75}}, row=1))
    points = {line.id: line.points for line in result.lines if line.kind == "criterion"}
    assert points == {"by_counts": 6, "by_percent": 7.5}
    assert f"{result.total:f}" == "13.50"
