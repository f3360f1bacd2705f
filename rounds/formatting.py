"""Danish number formatting, independent of the active locale (pure; no Django)."""


def danish_number(value: int) -> str:
    """75000 -> '75.000' (Danish thousands separator)."""
    return f"{value:,}".replace(",", ".")
