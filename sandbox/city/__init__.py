"""The city view: Zhoukou at its 2020 census size, five monthly batches (January–May 2022),
generated and paid county by county so nine million people never sit in memory at once.

- `people`: one county's residents and households as column arrays (census ages and sizes);
- `months`: the five monthly batches of one county (增减变动, returns, re-issues, recoveries);
- `run`: the whole city, county by county, and its per-county, per-month KPIs;
- `figures`: the five figures of the seed article beside the model's, with tolerances;
- `problems`: the planted problem counties of the 督导 exercise and how findings are scored.
"""
