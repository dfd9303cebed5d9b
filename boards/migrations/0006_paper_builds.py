"""Board papers made in the background: PaperBuild (boards.builds)."""

import boards.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0005_papers_tallies"),
        ("plans", "0025_several_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PaperBuild",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=255)),
                ("as_at", models.DateField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("exception_report", "Exception report"),
                            ("board_pack", "Board pack"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "file_format",
                    models.CharField(
                        choices=[("pdf", "PDF"), ("docx", "Word (DOCX)")], max_length=10
                    ),
                ),
                ("query", models.CharField(blank=True, max_length=1000)),
                ("publish", models.BooleanField(default=False)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting for a worker"),
                            ("building", "Being prepared"),
                            ("ready", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("step", models.PositiveSmallIntegerField(default=0)),
                ("steps", models.PositiveSmallIntegerField()),
                ("step_name", models.CharField(blank=True, max_length=100)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("worker_pid", models.PositiveIntegerField(blank=True, null=True)),
                ("settled", models.BooleanField(default=False)),
                (
                    "file",
                    models.FileField(
                        blank=True, max_length=200, upload_to=boards.models.paper_build_upload_to
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("error", models.TextField(blank=True)),
                (
                    "asked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="plans.boardmeeting",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="plans.plan",
                    ),
                ),
                (
                    "published",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="boards.publishedpack",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["key", "state"], name="paper_build_key_state")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state__in", ["queued", "building"])),
                        fields=("key",),
                        name="one_paper_build_in_progress_per_key",
                    )
                ],
            },
        ),
    ]
