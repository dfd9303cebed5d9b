"""Who may change reminders: the performance manager (and administrators)."""

import rules

from plans.roles import is_administrator, is_performance_manager

rules.add_perm("reminders.manage_reminders", is_performance_manager | is_administrator)
