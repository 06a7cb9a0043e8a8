"""dangjian: a rules-and-scoring kernel for party-building assessment (党建考核).

Plugins write `from dangjian import hookimpl` and register org types, schemes and methods.
"""

from dangjian.scoring.engine import Plan, compile_scheme, outcome
from dangjian.errors import (DangjianError, DuplicateError, EvaluationRejected, InputFileError, NotFound,
                     PluginError, SchemeError)
from dangjian.extension import (BatchRule, DiagnosticMethod, DocumentCheck, EvalContext, Method,
                        MethodSpec, Outcome, Rollup)
from dangjian.hookspecs import hookimpl
from dangjian.catalogue.loading import load_scheme, scheme_hash
from dangjian.models import (Activity, Evaluation, Finding, Line, Organization, OrgInline, OrgType,
                     Reject, Result)
from dangjian.catalogue.plugins import Catalog, load_catalog, make_plugin_manager
from dangjian.scheme import Scheme

__version__ = "0.1.0"

__all__ = [
    "Activity", "BatchRule", "Catalog", "DangjianError", "DiagnosticMethod", "DocumentCheck",
    "DuplicateError", "EvalContext", "Evaluation", "EvaluationRejected", "Finding",
    "InputFileError", "Line", "Method", "MethodSpec", "NotFound", "OrgInline", "OrgType",
    "Organization", "Outcome", "Plan", "PluginError", "Reject", "Result", "Rollup", "Scheme",
    "SchemeError", "compile_scheme", "hookimpl", "load_catalog", "load_scheme",
    "make_plugin_manager", "outcome", "scheme_hash",
]
