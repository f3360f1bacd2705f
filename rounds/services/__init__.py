"""Services: every write to the citizen-budget domain goes through a function here.

Each is keyword-only, enforces the round's rules and phase (raising RuleViolation), records the
change in the audit log and is atomic.
"""
