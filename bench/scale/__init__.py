"""Synthetic data at scale, for benchmarks (issue 8): `manage.py generate_scale_data`.

One *council* is one plan of the standard size: 10 priority areas, about 62 objectives and 250
actions, 30 posts, 40 indicators with 36 monthly values, about 20 recommendations, and two years
of history in which heads of service update their actions in fortnightly rounds (about 6,000
progress updates). `--scale` says how many councils' worth to make, `--plans` over how many
plans (`plan_sizes`).

The data is written the way the app writes it, because every report rebuilds the past from the
django-simple-history tables (the app's history readers):

- the plan goes in through the import template (plans.importers), the indicators through the
  indicator template (indicators.importers), recommendations through recommendations.services,
  and posts, meetings, audit results and area assessments through their models' save(). The
  importers write their history "now", so `happening_at` moves the history rows they wrote to the
  moment the story says it happened; save() takes the moment itself (`_history_date`).
- progress updates, 60,000 at scale 10, are too many for progress.services one at a time (each is a
  transaction of five queries), so `write_progress` writes what progress.services._record writes, in
  bulk: the ProgressUpdate rows, the action's history row each one implies (with its copy of the
  action's owners) and each action's latest state. Every update is first checked against the
  app's own rules (progress.services.progress_problems).

The story (`StoryCalendar`): the plan is loaded two years before `today`; the Improvement Board
meets every other month and the Scrutiny Panel every third, papers due a week before, with the
next few meetings already scheduled; every fortnight each unfinished action's owner updates it
with a chance of UPDATE_CHANCE (BOARD_UPDATE_CHANCE in the round before a board's papers are
due), its status drifting as its due date comes and goes (`next_status`).

Every random choice comes from a random.Random seeded by --seed, the plan's number and what it
is for, and the texts come from the demo plan's own words (demo/data) and the phrase banks
below, so the same arguments give the same data on every machine, on SQLite as on PostgreSQL.

Run it on a database of its own (the command refuses one that holds any plan):

    export DATABASE_URL=sqlite:///.tools/scale.sqlite3
    python manage.py migrate && python manage.py generate_scale_data --scale 10 [--plans 10]
        [--seed 1] [--today 2026-11-20]

Everything is written in one transaction, so a failure leaves the database as it was; then, on
PostgreSQL, the tables are analysed (`refresh_statistics`). Users get unusable passwords
(benchmarks sign in with force_login; set one in the admin to look around).
"""
