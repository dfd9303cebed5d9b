from datetime import date
from decimal import Decimal

import pytest

from indicators.importers import load_indicator_file, only_plan
from indicators.models import Benchmark, Indicator, IndicatorValue
from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.rag import Rag
from plans.workbook_checks import ImportRejected
from tests.indicator_files import small_indicators
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plan():
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))


def load(sheets, **options):
    return load_indicator_file(
        plan=only_plan(),
        by=system_account(),
        filename="indicators.xlsx",
        content=xlsx(sheets),
        **options,
    )


def problems_of(sheets) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        load(sheets)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_file_loads_indicators_values_and_benchmarks():
    summary = load(small_indicators())

    assert summary.created == {"indicators": 3, "values": 5, "benchmarks": 2}
    assessments = Indicator.objects.get(reference="AS-01")
    assert [a.reference for a in assessments.priority_areas.all()] == ["1"]
    april = assessments.values.get(month=date(2021, 4, 1))
    assert (april.value, april.numerator, april.denominator) == (90, 90, 100)
    assert april.rag == Rag.GREEN
    assert assessments.values.get(month=date(2021, 5, 1)).rag == Rag.RED
    # "TBC" is missing, never zero; "1400 per month" with no direction is Not rated.
    missing = IndicatorValue.objects.get(indicator__reference="FD-01", month=date(2021, 5, 1))
    assert missing.value is None and missing.note == "TBC"
    assert Indicator.objects.get(reference="FD-01").rag_for(Decimal(1828)) == Rag.NOT_RATED
    # Minimum 25 above upper target 23: lower is better, inferred.
    assert Indicator.objects.get(reference="FD-02").rag_for(Decimal(21)) == Rag.GREEN
    assert Benchmark.objects.get(kind="outturn").value is None


def test_reloading_the_same_file_changes_nothing_and_writes_no_history():
    load(small_indicators())
    history = IndicatorValue.history.count()

    summary = load(small_indicators())

    assert not summary.changed
    assert IndicatorValue.history.count() == history


def test_a_corrected_value_replaces_the_old_one_and_both_stay_in_the_history():
    load(small_indicators())

    summary = load(small_indicators(**{"Values!3!2": 87}))

    assert summary.updated["values"] == 1
    may = IndicatorValue.objects.get(indicator__reference="AS-01", month=date(2021, 5, 1))
    assert may.value == 87
    assert [h.value for h in may.history.order_by("history_date")] == [86, 87]


def test_a_dry_run_counts_the_changes_and_writes_nothing():
    summary = load(small_indicators(), dry_run=True)
    assert summary.created["values"] == 5
    assert not Indicator.objects.exists() and not IndicatorValue.objects.exists()


def test_a_month_of_values_alone_loads_against_indicators_already_there():
    load(small_indicators())
    next_month = small_indicators()
    next_month["Indicators"] = next_month["Indicators"][:1]
    next_month["Values"] = [next_month["Values"][0], ["AS-01", "Jun-21", 91, None, None, ""]]
    next_month["Benchmarks"] = next_month["Benchmarks"][:1]

    assert load(next_month).created == {"values": 1}
    assert IndicatorValue.objects.filter(month=date(2021, 6, 1)).get().value == 91


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"Values!2!0": "XX-99"}, "column 'Indicator': 'XX-99' is not on the 'Indicators' sheet."),
        ({"Values!2!2": "ninety"}, "column 'Value': 'ninety' is not a number."),
        ({"Values!2!1": "someday"}, "column 'Month': 'someday' is not a date."),
        ({"Values!2!2": 70}, "does not match 90 / 100, which gives 90.0."),
        ({"Values!2!4": None}, "column 'Denominator': is empty. Give both the numerator"),
        ({"Values!3!1": date(2021, 4, 15)}, "is given twice for AS-01 (also on row 2)."),
        ({"Indicators!2!3": "Percent"}, "column 'Unit': 'Percent' is not one of the allowed"),
        (
            {"Indicators!4!5": "Higher is better"},
            "contradicts the targets: a minimum of 25 and an upper target of 23 mean lower is "
            "better.",
        ),
        ({"Indicators!2!11": "99"}, "column 'Priority areas': '99' is not on the 'Priority areas'"),
        ({"Benchmarks!2!1": "Wales"}, "column 'Benchmark': 'Wales' is not one of the allowed"),
        ({"Indicators!2!9": "Maybe"}, "column 'Target is strict': 'maybe' is not Yes or No."),
    ],
)
def test_a_bad_file_is_rejected_whole_with_every_bad_cell_named(change, expected):
    messages = problems_of(small_indicators(**change))
    assert any(expected in message for message in messages), messages
    assert not Indicator.objects.exists() and not IndicatorValue.objects.exists()


def test_a_bad_reload_leaves_the_loaded_figures_alone():
    load(small_indicators())
    problems_of(small_indicators(**{"Values!3!2": 87, "Values!4!2": "lots"}))
    may = IndicatorValue.objects.get(indicator__reference="AS-01", month=date(2021, 5, 1))
    assert may.value == 86


def test_blank_rows_record_nothing_and_tbc_records_a_gap():
    load(small_indicators())
    month = small_indicators()
    month["Values"] = [
        month["Values"][0],
        ["AS-01", date(2021, 6, 30), None, None, None, ""],
        ["FD-01", date(2021, 6, 30), "TBC", None, None, ""],
    ]

    assert load(month).created == {"values": 1}
    gap = IndicatorValue.objects.get(month=date(2021, 6, 1))
    assert (gap.indicator.reference, gap.value, gap.note) == ("FD-01", None, "TBC")


def test_a_reference_the_pages_use_for_themselves_is_refused():
    messages = problems_of(
        small_indicators(
            **{"Indicators!2!0": "summary", "Values!2!0": "summary", "Values!3!0": "summary"}
        )
    )  # noqa: E501
    assert any("is a word the indicator pages use for themselves" in m for m in messages)
