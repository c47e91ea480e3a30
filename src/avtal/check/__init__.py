"""Legal and drafting checks on the parameters and the assembled documents.

Each rule has an id, a severity, the provision it rests on and a short explanation.
Findings print as ``RULE-ID severity file:line message (citation)``. Rules only read the
:class:`~avtal.project.Project`; they never change it. One module per form, plus data and
drafting rules; importing them registers their rules in this order.
"""

from avtal.check import avtalssamverkan, gemensam_namnd, gemensam_namnd_organ, kommunalforbund, bolag, data, drafting  # noqa: F401, I001, E501
from avtal.check.base import RULES, Finding, Rule
from avtal.check.bolag import BOLAGSORDNING_ITEMS, DELAGT_ITEMS
from avtal.check.kommunalforbund import FORBUND_ITEMS
from avtal.check.report import Report, lint

__all__ = [
    "BOLAGSORDNING_ITEMS",
    "DELAGT_ITEMS",
    "FORBUND_ITEMS",
    "RULES",
    "Finding",
    "Report",
    "Rule",
    "lint",
]
