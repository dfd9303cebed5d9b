# The reminder models, moved here from the plans app (plans 0018) with their tables, which keep
# their names (db_table): Django's state changes, the database does not, but for the content
# types' app label.

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import reminders.models
from plans.moved_models import rename_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('plans', '0018_reminders_move_to_their_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalReminderSettings',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('due_soon_days', models.PositiveSmallIntegerField(default=reminders.models.default_due_soon_days, verbose_name='days before the due date')),
                        ('overdue_every_days', models.PositiveSmallIntegerField(default=reminders.models.default_overdue_every_days, verbose_name='days between overdue reminders')),
                        ('escalation_days', models.PositiveSmallIntegerField(default=reminders.models.default_escalation_days, verbose_name='days overdue before escalation')),
                        ('update_request_working_days', models.PositiveSmallIntegerField(default=reminders.models.default_update_request_working_days, verbose_name='working days before papers are due')),
                        ('paused', models.BooleanField(default=False, verbose_name='reminders paused')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan')),
                    ],
                    options={
                        'verbose_name': 'historical reminder settings',
                        'verbose_name_plural': 'historical reminder settings',
                        'db_table': 'plans_historicalremindersettings',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('due_soon', 'Due soon'), ('overdue', 'Overdue'), ('escalation', 'Escalation'), ('update_request', 'Update before the board')], max_length=20)),
                        ('subject_key', models.CharField(max_length=50)),
                        ('period', models.CharField(max_length=20)),
                        ('day', models.DateField(help_text='The day the sweep found it due; days overdue count to it.')),
                        ('email', models.EmailField(max_length=254)),
                        ('cc', models.TextField(blank=True, help_text='Addresses copied in, one per line.')),
                        ('state', models.CharField(choices=[('pending', 'Waiting to be sent'), ('claimed', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed'), ('cancelled', 'Not sent (held by a pause)')], default='pending', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('not_before', models.DateTimeField(default=django.utils.timezone.now)),
                        ('lease_until', models.DateTimeField(blank=True, null=True)),
                        ('dispatched_at', models.DateTimeField(blank=True, null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('actions', models.ManyToManyField(db_table='plans_reminder_actions', related_name='reminders', to='plans.action')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='plans.plan')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'plans_reminder',
                        'ordering': ['-day', models.OrderBy(models.F('sent_at'), descending=True, nulls_first=True), '-pk'],
                        'indexes': [models.Index(fields=['state', 'not_before'], name='reminder_due_to_send')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'cancelled'), _negated=True), fields=('kind', 'subject_key', 'period', 'recipient'), name='one_reminder_per_subject_period_and_person')],
                    },
                ),
                migrations.CreateModel(
                    name='ReminderSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('due_soon_days', models.PositiveSmallIntegerField(default=reminders.models.default_due_soon_days, verbose_name='days before the due date')),
                        ('overdue_every_days', models.PositiveSmallIntegerField(default=reminders.models.default_overdue_every_days, verbose_name='days between overdue reminders')),
                        ('escalation_days', models.PositiveSmallIntegerField(default=reminders.models.default_escalation_days, verbose_name='days overdue before escalation')),
                        ('update_request_working_days', models.PositiveSmallIntegerField(default=reminders.models.default_update_request_working_days, verbose_name='working days before papers are due')),
                        ('paused', models.BooleanField(default=False, verbose_name='reminders paused')),
                        ('plan', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_settings', to='plans.plan')),
                    ],
                    options={
                        'verbose_name_plural': 'reminder settings',
                        'db_table': 'plans_remindersettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('overdue_every_days__gte', 1)), name='overdue_reminders_repeat_after_a_day_or_more')],
                    },
                ),
            ],
        ),
        rename_content_types(
            "plans", "reminders", ["reminder", "remindersettings", "historicalremindersettings"]
        ),
    ]
