"""What an outcomes command can be asked that it cannot answer (light: the CLI imports it)."""


class UnknownGrouping(ValueError):
    """--by names neither a profile field nor an imported attribute."""


class UnknownMetric(ValueError):
    """--metric names a metric with no outcomes."""
