"""The reference data shipped with the package: London's authorities and its tile grid."""

from __future__ import annotations

from evaluation.reference import london_authorities, london_tile_grid


def test_the_33_london_authorities_e09000001_to_e09000033():
    authorities = london_authorities()
    assert list(authorities["gss_code"]) == [f"E090000{i:02d}" for i in range(1, 34)]
    assert set(authorities["inner_outer"]) == {"Inner London", "Outer London"}


def test_tile_grid_covers_the_33_authorities_once_each():
    grid = london_tile_grid()
    authorities = london_authorities()
    assert sorted(grid["gss_code"]) == sorted(authorities["gss_code"])
    assert not grid.duplicated(["row", "col"]).any()
    names = dict(zip(authorities["gss_code"], authorities["name"], strict=True))
    assert all(names[c] == n for c, n in zip(grid["gss_code"], grid["name"], strict=True))
    # a few anchors of the layout: the City in the middle, Enfield at the top, Sutton at the bottom
    where = grid.set_index("name")[["row", "col"]]
    assert where.loc["Enfield"].tolist() == [1, 5] and where.loc["Sutton"].tolist() == [7, 4]
    assert where.loc["City of London"].tolist() == [4, 5]
