"""Who may load and adjust the figures: the performance manager (and administrators)."""

import rules

from plans.roles import is_administrator, is_performance_manager

rules.add_perm("indicators.load_indicators", is_performance_manager | is_administrator)
