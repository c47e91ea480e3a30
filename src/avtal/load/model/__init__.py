"""The typed parameter model of a cooperation.

One YAML parameter file describes one cooperation. Every mapping forbids unknown keys, so
a misspelt key is an error and never a silently missing clause. Cross-field rules (one
host, shares that sum to 100, parties referred to by id exist) live here too, so that a
valid :class:`Params` is always buildable.

The model modules do not use ``from __future__ import annotations``: pydantic would
evaluate every string annotation again when it builds the classes, which made a cold
start measurably slower. Annotations that name the class being defined are quoted.
"""

from avtal.load.model.base import *  # noqa: F403
from avtal.load.model.forms import *  # noqa: F403
from avtal.load.model.matter import *  # noqa: F403
from avtal.load.model.params import *  # noqa: F403
from avtal.load.model.sections import *  # noqa: F403
