"""Pilot monitoring: every figure of the dashboard, the exports and the evaluation report is
counted by grouped queries (the same on SQLite and PostgreSQL) from the facts every step keeps
of its initiative (:mod:`processes.facts`: typed rows per initiative and per completed task, lead
times in working days) and from the open tasks, never from numbers kept by hand.

Most counts are read from tallies kept ahead by triggers (:mod:`processes.tables.tally`, read by
``tally``): a row per group, however many initiatives; a period's days in a month it covers in
part come from the facts.

Modules: ``sql`` (filters, how a period splits into tallied months and days, percentiles),
``grouped`` (the counts over the initiatives several figures share, one pass on PostgreSQL),
``volume`` (initiatives per month, category, district, kind of initiator, channel), ``leadtime``
(per step and end to end, within the norm, median and 80th percentile), ``work`` (open work per
team, questions to initiators), ``feedback`` (rule quality, satisfaction, budgets),
``dashboard`` (who sees what, all figures together), ``exports`` (CSV and XLSX of cases and
steps, ``xlsx`` writes the workbook)."""

from processes.monitoring.dashboard import Dashboard, Scope, dashboard, may_monitor, scope_of
from processes.monitoring.sql import Filters

__all__ = ["Dashboard", "Filters", "Scope", "dashboard", "may_monitor", "scope_of"]
