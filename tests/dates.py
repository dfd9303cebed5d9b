"""Dates as a GOV.UK date input posts them: day, month and year in three fields."""


def day_month_year(name: str, typed: str) -> dict[str, str]:
    """{"taken_on": "20/11/2026"} as the form posts it: taken_on_day=20, _month=11, _year=2026."""
    day, month, year = typed.split("/")
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
