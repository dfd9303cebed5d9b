# Progress updates, moved here from the plans app (plans 0023) with their table, which keeps its
# name (db_table): Django's state changes, the database does not, but for the content type's app
# label.

import django.db.models.deletion
import django.utils.timezone
import progress.models
from django.conf import settings
from django.db import migrations, models

from plans.moved_models import rename_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('plans', '0023_progress_updates_move_to_their_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ProgressUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('off_track', 'Off track'), ('complete', 'Complete')], max_length=20)),
                        ('commentary', models.TextField(blank=True)),
                        ('revised_due_date', models.DateField(blank=True, null=True)),
                        ('revision_reason', models.TextField(blank=True)),
                        ('evidence_link', models.URLField(blank=True, max_length=500)),
                        ('evidence_file', models.FileField(blank=True, max_length=200, upload_to=progress.models.evidence_upload_to)),
                        ('evidence_filename', models.CharField(blank=True, max_length=255)),
                        ('action', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='updates', to='plans.action')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress_updates', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'plans_progressupdate',
                        'ordering': ['action', 'version'],
                        'constraints': [models.UniqueConstraint(fields=('action', 'version'), name='one_update_per_action_version')],
                    },
                ),
            ],
        ),
        rename_content_types(
            "plans", "progress", ["progressupdate"]
        ),
    ]
