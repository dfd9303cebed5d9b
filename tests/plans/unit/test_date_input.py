"""A date typed as day, month and year (GOV.UK's date input): what it accepts, and what it says."""

from datetime import date

import pytest
from django import forms

from plans.forms import DayMonthYearField


class MeetingForm(forms.Form):
    day = DayMonthYearField(
        label="Meeting date", called="The meeting date", example=date(2027, 3, 25)
    )


def errors(**typed) -> list[str]:
    data = {f"day_{part}": value for part, value in typed.items()}
    form = MeetingForm(data)
    form.is_valid()
    return form.errors.get("day", [])


def test_three_boxes_make_a_date():
    form = MeetingForm({"day_day": " 5 ", "day_month": "03", "day_year": "2027"})
    assert form.is_valid() and form.cleaned_data["day"] == date(2027, 3, 5)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({}, "This field is required."),
        ({"day": "5", "year": "2027"}, "The meeting date must include a month."),
        ({"year": "2027"}, "The meeting date must include a day and a month."),
        (
            {"day": "5", "month": "March", "year": "2027"},
            "Enter the meeting date in numbers, for example 25 3 2027.",
        ),
        (
            {"day": "5", "month": "3", "year": "27"},
            "The year must have 4 numbers, for example 2027.",
        ),
        (
            {"day": "31", "month": "2", "year": "2027"},
            "The meeting date must be a real date, for example 25 3 2027.",
        ),
    ],
)
def test_each_mistake_says_what_to_do(typed, message):
    assert errors(**typed) == [message]
