"""Who may do what in access: the performance manager or an administrator maps directory groups
to the tracker's roles."""

import rules

from plans.roles import is_administrator, is_performance_manager

rules.add_perm("access.map_directory_groups", is_performance_manager | is_administrator)
