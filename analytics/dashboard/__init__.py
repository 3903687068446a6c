"""The staff dashboard: charts (each a list of bars with the rows behind every bar), their SVG, and
the derived numbers (times, funnels, clusters)."""
