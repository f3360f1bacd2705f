"""axe-core in the page (axe-playwright-python): WCAG 2.1 A and AA violations, and a report a
person can act on."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return AXE.run(page, options=options).response["violations"]


def violations_report(violations: list[dict]) -> str:
    """One paragraph per rule: what is wrong, where (selector and HTML), how to fix it."""
    lines = []
    for violation in violations:
        lines.append(
            f"\n{violation['id']} ({violation['impact']}): {violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}\n    {node['html'][:300]}")
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
    return "\n".join(lines)
