"""Nominal-to-real conversion: hand-computed factors and row-naming errors."""

import csv
from importlib import resources

import pandas as pd
import pytest

from evaluation.economics.deflate import (
    financial_year_label,
    financial_year_start,
    load_gdp_deflator,
    real_terms_factor,
    to_real_prices,
)

# A toy deflator: prices rise 10% from 2022-23 to 2023-24 and ~1% to 2024-25.
DEFLATOR = pd.Series({2022: 90.0, 2023: 99.0, 2024: 100.0})


@pytest.mark.parametrize(
    ("year", "start"), [(2023, 2023), ("2023-24", 2023), ("2023/24", 2023), ("1999-00", 1999), ("2023", 2023)]
)
def test_financial_year_start(year, start):
    assert financial_year_start(year) == start


@pytest.mark.parametrize("year", ["2023-25", "23-24", "next year", True, 2023.5])
def test_financial_year_start_rejects(year):
    with pytest.raises(ValueError, match="not a financial year"):
        financial_year_start(year)


def test_financial_year_label():
    assert financial_year_label(2023) == "2023-24"
    assert financial_year_label(1999) == "1999-00"


def test_shipped_deflator_matches_the_csv_and_covers_2010_to_2025():
    path = resources.files("evaluation").joinpath("data", "gdp_deflator.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    from_file = {int(row["financial_year"][:4]): float(row["deflator"]) for row in rows}
    deflator = load_gdp_deflator()
    assert deflator.to_dict() == from_file
    assert list(deflator.index) == list(range(2010, 2026))
    assert (deflator > 0).all()
    assert (deflator == 100.0).sum() == 1  # exactly one reference year


def test_real_terms_factor_is_ratio_of_index_values():
    assert real_terms_factor(2022, 2023, DEFLATOR) == pytest.approx(99 / 90)
    assert real_terms_factor("2024-25", "2022-23", DEFLATOR) == pytest.approx(90 / 100)
    assert real_terms_factor(2023, 2023, DEFLATOR) == 1.0


def test_real_terms_factor_uses_shipped_series_by_default():
    deflator = load_gdp_deflator()
    assert real_terms_factor(2015, 2024) == pytest.approx(deflator[2024] / deflator[2015])
    # Converting there and back is the identity.
    assert real_terms_factor(2015, 2024) * real_terms_factor(2024, 2015) == pytest.approx(1.0)


def test_real_terms_factor_outside_series():
    with pytest.raises(ValueError, match="2009-10 is outside the GDP deflator series"):
        real_terms_factor(2009, 2023)


def test_to_real_prices_converts_each_row():
    flows = pd.DataFrame(
        {"amount": [100.0, 100.0, 50.0], "price_base_year": [2022, "2023-24", 2024]},
        index=["a", "b", "c"],
    )
    real = to_real_prices(flows, "2023-24", deflator=DEFLATOR)
    assert real["amount"].tolist() == pytest.approx([110.0, 100.0, 49.5])
    assert real["price_base_year"].tolist() == [2023, 2023, 2023]
    assert flows["amount"].tolist() == [100.0, 100.0, 50.0]  # input untouched


def test_to_real_prices_keeps_a_single_existing_base():
    flows = pd.DataFrame({"amount": [1.0, 2.0], "price_base_year": ["2023-24", 2023]})
    real = to_real_prices(flows)
    assert real["amount"].tolist() == [1.0, 2.0]
    assert real["price_base_year"].tolist() == [2023, 2023]


def test_rows_already_in_base_prices_need_no_deflator_entry():
    flows = pd.DataFrame({"amount": [7.0], "price_base_year": [2040]})
    assert to_real_prices(flows, 2040, deflator=DEFLATOR)["amount"].tolist() == [7.0]


def test_mixed_price_bases_without_base_year_name_the_row():
    flows = pd.DataFrame(
        {"amount": [1.0, 2.0, 3.0], "price_base_year": [2023, 2023, 2022]},
        index=["x", "y", "z"],
    )
    with pytest.raises(ValueError, match=r"row 'z' is in 2022-23 prices.*pass base_year"):
        to_real_prices(flows)


def test_year_outside_series_names_the_row():
    flows = pd.DataFrame({"amount": [1.0, 2.0], "price_base_year": [2023, 2019]})
    with pytest.raises(ValueError, match=r"row 1: price year 2019-20 is outside"):
        to_real_prices(flows, 2023, deflator=DEFLATOR)


def test_base_year_outside_series():
    flows = pd.DataFrame({"amount": [1.0], "price_base_year": [2023]})
    with pytest.raises(ValueError, match="base year: price year 2030-31"):
        to_real_prices(flows, 2030, deflator=DEFLATOR)


def test_unparseable_price_year_names_the_row():
    flows = pd.DataFrame({"amount": [1.0], "price_base_year": ["FY23"]}, index=["bad"])
    with pytest.raises(ValueError, match="row 'bad': not a financial year"):
        to_real_prices(flows, 2023, deflator=DEFLATOR)


def test_missing_columns():
    with pytest.raises(ValueError, match="no column"):
        to_real_prices(pd.DataFrame({"amount": [1.0]}), 2023)
