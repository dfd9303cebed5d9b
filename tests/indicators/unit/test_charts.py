from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

from indicators.charts import series_chart, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output, not user input)


def test_a_sparkline_is_valid_svg_with_an_accessible_name():
    root = parse(sparkline([Decimal(1), Decimal(3), Decimal(2)], label="Contacts <monthly>"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label") == "Contacts <monthly>"
    assert root.find(f"{SVG}title").text == "Contacts <monthly>"


def test_a_missing_month_is_a_gap_never_a_zero():
    root = parse(sparkline([Decimal(5), None, Decimal(6), Decimal(7)], label="x"))
    lines = root.findall(f"{SVG}polyline")
    dots = root.findall(f"{SVG}circle")
    assert len(lines) == 1  # 6 to 7; the lone 5 before the gap is a dot
    assert len(dots) == 2  # the lone point and the marker on the latest figure


def test_no_figures_means_no_chart():
    assert sparkline([None, None], label="x") == ""
    assert series_chart([(date(2021, 4, 1), None)], label="x") == ""


def test_the_series_chart_shows_the_target_band_benchmarks_and_each_month():
    points = [(date(2021, m, 1), Decimal(80 + m)) for m in range(4, 10)]
    root = parse(
        series_chart(
            points,
            label="Assessments",
            minimum=Decimal(80),
            upper=Decimal(87),
            benchmarks=[("England 2020-21", Decimal(88))],
        )  # fmt: skip
    )
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Assessments"
    assert root.find(f"{SVG}rect/{SVG}title").text == "Target band"
    assert root.find(f"{SVG}line/{SVG}title").text == "England 2020-21: 88"
    titles = [c.find(f"{SVG}title").text for c in root.findall(f"{SVG}circle")]
    assert titles[0] == "April 2021: 84" and len(titles) == 6
