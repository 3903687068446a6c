"""Daily rollups: each closed local day's numbers stored once (`DailyRollup`), so a dashboard over a year
reads 365 small rows. `build` counts days from the raw tables, `read` gives a period's days (stored ones
for closed days, counted live for today and any day not rolled up yet), `services` refreshes them."""
