"""Network statistics, around the selectors of `learners.selectors.statistics`:

- `suppression`: small-cell suppression (primary, complementary, linear-algebra check);
- `report`: raw figures → published tables (one suppression pass for the whole page);
- `charts`: SVG charts of the published tables (via `learners.charts`);
- `exports`: the same tables as CSV and XLSX;
- `snapshots`: pre-computed figures for large selections, nightly job and on-demand jobs;
- `dashboard`: what the admin view calls (live, snapshot or "being computed").
"""
