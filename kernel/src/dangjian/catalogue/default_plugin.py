"""The kernel's built-in behaviour, registered exactly like a third-party plugin."""

from __future__ import annotations

from dangjian.methods.batch_rules import BUILTIN_BATCH_RULES
from dangjian.methods.diagnostics import BUILTIN_DIAGNOSTICS
from dangjian.tools.documents import BUILTIN_DOCUMENT_CHECKS
from dangjian.hookspecs import hookimpl
from dangjian.methods import BUILTIN_METHODS
from dangjian.models import OrgType

ORG_TYPES = [
    OrgType(id="party_group", title="党组", level=1, description="政府部门的党组"),
    OrgType(id="organ_committee", title="机关党委", level=2,
            description="机关党委 / 直属机关党委（机关委员会）"),
    OrgType(id="committee", title="党委", level=3, description="基层党委"),
    OrgType(id="general_branch", title="党总支", level=4, description="党总支部委员会"),
    OrgType(id="branch", title="党支部", level=5, description="党支部（在职或离退休）"),
]


@hookimpl
def register_org_types(register):
    for org_type in ORG_TYPES:
        register(org_type)


@hookimpl
def register_methods(register):
    for method in BUILTIN_METHODS:
        register(method)


@hookimpl
def register_diagnostics(register):
    for diagnostic in BUILTIN_DIAGNOSTICS:
        register(diagnostic)


@hookimpl
def register_document_checks(register):
    for check in BUILTIN_DOCUMENT_CHECKS:
        register(check)


@hookimpl
def register_batch_rules(register):
    for rule in BUILTIN_BATCH_RULES:
        register(rule)
