"""dangjian: a rules-and-scoring kernel for party-building assessment (党建考核).

Plugins write `from dangjian import hookimpl` and register org types, schemes and methods.
"""

from .engine import Plan, compile_scheme, outcome
from .errors import (DangjianError, DuplicateError, EvaluationRejected, InputFileError, NotFound,
                     PluginError, SchemeError)
from .extension import (BatchRule, DiagnosticMethod, DocumentCheck, EvalContext, Method,
                        MethodSpec, Outcome, Rollup)
from .hookspecs import hookimpl
from .loading import load_scheme, scheme_hash
from .models import (Activity, Evaluation, Finding, Line, Organization, OrgInline, OrgType,
                     Reject, Result)
from .plugins import Catalog, load_catalog, make_plugin_manager
from .scheme import Scheme

__version__ = "0.1.0"

__all__ = [
    "Activity", "BatchRule", "Catalog", "DangjianError", "DiagnosticMethod", "DocumentCheck",
    "DuplicateError", "EvalContext", "Evaluation", "EvaluationRejected", "Finding",
    "InputFileError", "Line", "Method", "MethodSpec", "NotFound", "OrgInline", "OrgType",
    "Organization", "Outcome", "Plan", "PluginError", "Reject", "Result", "Rollup", "Scheme",
    "SchemeError", "compile_scheme", "hookimpl", "load_catalog", "load_scheme",
    "make_plugin_manager", "outcome", "scheme_hash",
]
