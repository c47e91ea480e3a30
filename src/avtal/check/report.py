"""Running the rules and collecting their findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from avtal.check.base import RULES, Ctx, Finding

if TYPE_CHECKING:
    from avtal.project import Project


# --- Running the rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """All findings of one lint run."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity error."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings of severity warning."""
        return tuple(f for f in self.findings if f.severity == "warning")

    def failed(self, strict: bool = False) -> bool:
        """Whether the findings stop a build (warnings too when strict)."""
        return bool(self.errors or (strict and self.warnings))


def lint(project: Project) -> Report:
    """Run every rule that applies to the project's form."""
    ctx = Ctx(project)
    findings: list[Finding] = []
    for item in RULES:
        if item.forms and project.params.form not in item.forms:
            continue
        for file, line, message in item.check(ctx):
            findings.append(Finding(item.id, item.severity, file, line, message, item.citation))
    return Report(tuple(findings))
