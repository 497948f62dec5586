"""Appraisal of a long flows table against hand-computed present values.

The LOTI-style example: 27 boroughs pay 30,000 a year each (810,000) and the
GLA and London Councils 100,000 a year each, in 2023-24 and 2024-25, appraised
from 2023-24 in 2023-24 prices at the 3.5% STPR. Benefits in 2024-25: a
300,000 cashable recruitment saving and a 1,400,000 non-cashable data-sharing
saving, both to the boroughs.
"""

import pandas as pd
import pytest

from evaluation.economics.appraisal import (
    FLOW_COLUMNS,
    appraise,
    discount_flows,
    present_value_table,
)
from evaluation.tidy import TIDY_COLUMNS, to_frame

DF1 = 1 / 1.035  # discount factor one year after the base year


def loti_flows() -> pd.DataFrame:
    rows = []
    for year in ("2023-24", "2024-25"):
        rows += [
            ("LOTI", year, "cost", 27 * 30_000, 2023, "boroughs", True),
            ("LOTI", year, "cost", 100_000, 2023, "GLA", True),
            ("LOTI", year, "cost", 100_000, 2023, "London Councils", True),
        ]
    rows += [
        ("LOTI", "2024-25", "benefit", 300_000, 2023, "boroughs", True),
        ("LOTI", "2024-25", "benefit", 1_400_000, 2023, "boroughs", False),
    ]
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS))


def test_headline_estimates():
    result = appraise(loti_flows(), base_year="2023-24")
    estimates = {e.term: e for e in result.estimates}
    pv_costs = 1_010_000 * (1 + DF1)
    pv_benefits = 1_700_000 * DF1
    assert pv_costs == pytest.approx(1_985_845.41, abs=0.01)
    assert pv_benefits == pytest.approx(1_642_512.08, abs=0.01)
    assert estimates["pv_costs"].estimate == pytest.approx(pv_costs)
    assert estimates["pv_benefits"].estimate == pytest.approx(pv_benefits)
    assert estimates["npsv"].estimate == pytest.approx(pv_benefits - pv_costs)
    assert estimates["bcr"].estimate == pytest.approx(pv_benefits / pv_costs)
    assert estimates["bcr"].estimate == pytest.approx(0.8271, abs=1e-4)
    assert {e.group for e in result.estimates} == {"LOTI"}
    assert all(e.n == 8 for e in result.estimates)
    assert "real 2023-24 prices" in estimates["npsv"].method
    assert "discounted to 2023-24" in estimates["npsv"].method


def test_estimates_are_tidy_rows():
    frame = to_frame(appraise(loti_flows(), base_year=2023).estimates)
    assert tuple(frame.columns) == TIDY_COLUMNS
    assert frame["term"].tolist() == ["pv_benefits", "pv_costs", "npsv", "bcr"]


def test_present_values_by_bearer_and_cashability():
    table = appraise(loti_flows(), base_year=2023).present_values
    rows = {(r.bearer, r.cashable): r for r in table.itertuples()}
    assert set(rows) == {("boroughs", True), ("boroughs", False), ("GLA", True), ("London Councils", True)}
    assert rows["boroughs", True].pv_costs == pytest.approx(810_000 * (1 + DF1))
    assert rows["boroughs", True].pv_benefits == pytest.approx(300_000 * DF1)
    assert rows["boroughs", False].pv_benefits == pytest.approx(1_400_000 * DF1)
    assert rows["boroughs", False].pv_costs == 0.0
    assert rows["GLA", True].pv_costs == pytest.approx(100_000 * (1 + DF1))
    assert rows["GLA", True].net_present_value == pytest.approx(-100_000 * (1 + DF1))
    assert table["pv_costs"].sum() == pytest.approx(1_010_000 * (1 + DF1))


def test_present_value_table_by_cashability_only():
    discounted = discount_flows(loti_flows(), base_year=2023)
    table = present_value_table(discounted, by=["cashable"]).set_index("cashable")
    assert table.loc[False, "pv_benefits"] == pytest.approx(1_400_000 * DF1)
    assert table.loc[True, "pv_benefits"] == pytest.approx(300_000 * DF1)


def test_flows_are_converted_to_one_price_base_before_discounting():
    flows = loti_flows()
    flows.loc[len(flows)] = ["LOTI", "2024-25", "cost", 90.0, 2022, "GLA", False]
    deflator = pd.Series({2022: 90.0, 2023: 99.0, 2024: 100.0})
    discounted = discount_flows(flows, base_year=2023, price_base_year=2023, deflator=deflator)
    last = discounted.iloc[-1]
    assert last["amount"] == pytest.approx(90.0 * 99 / 90)  # 99 in 2023-24 prices
    assert last["present_value"] == pytest.approx(99 * DF1)
    assert last["years_from_base"] == 1


def test_health_schedule_is_passed_through():
    discounted = discount_flows(loti_flows(), base_year=2023, schedule="health")
    assert discounted["discount_factor"].max() == 1.0
    assert discounted["discount_factor"].min() == pytest.approx(1 / 1.015)


def test_projects_are_appraised_separately():
    flows = pd.concat([loti_flows(), loti_flows().assign(project="Leadership")], ignore_index=True)
    result = appraise(flows, base_year=2023)
    assert [e.group for e in result.estimates[::4]] == ["LOTI", "Leadership"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("type", "saving", r"row 3: type must be one of"),
        ("cashable", "yes", r"row 3: cashable must be True or False"),
        ("amount", "lots", r"row 3: amount must be a finite number"),
        ("bearer", None, r"row 3: bearer is missing"),
        ("year", "2022-23", r"row 3: flow falls before the base year"),
        ("price_base_year", 2022, r"row 3 is in 2022-23 prices"),
        ("year", "FY24", r"row 3: not a financial year"),
    ],
)
def test_bad_rows_are_named(column, value, message):
    flows = loti_flows().astype({column: object})
    flows.loc[3, column] = value
    with pytest.raises(ValueError, match=message):
        appraise(flows, base_year=2023)


def test_missing_columns_are_listed():
    with pytest.raises(ValueError, match=r"no column\(s\) \['bearer'\]"):
        appraise(loti_flows().drop(columns="bearer"), base_year=2023)


def test_project_without_costs_has_no_bcr():
    flows = loti_flows()
    flows = flows[flows["type"] == "benefit"]
    with pytest.raises(ValueError, match="project 'LOTI'.*BCR is undefined"):
        appraise(flows, base_year=2023)
