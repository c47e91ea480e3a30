"""Legal and drafting checks on the parameters and the assembled documents.

Each rule has an id, a severity, the provision it rests on and a short explanation.
Findings print as ``RULE-ID severity file:line message (citation)``. Rules only read the
:class:`~avtal.project.Project`; they never change it. One module per form, plus data and
drafting rules; importing them registers their rules in this order.
"""

# isort: off
from avtal.check import avtalssamverkan  # noqa: F401
from avtal.check import contributions  # noqa: F401
from avtal.check import chair  # noqa: F401
from avtal.check import gemensam_namnd  # noqa: F401
from avtal.check import gemensam_namnd_organ  # noqa: F401
from avtal.check import parties  # noqa: F401
from avtal.check import kommunalforbund  # noqa: F401
from avtal.check import bolag  # noqa: F401
from avtal.check import bolag_lou  # noqa: F401
from avtal.check import bolag_kapital  # noqa: F401
from avtal.check import data  # noqa: F401
from avtal.check import drafting  # noqa: F401
from avtal.check import party_count  # noqa: F401

# isort: on
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
