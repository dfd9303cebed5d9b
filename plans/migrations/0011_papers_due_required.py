from datetime import timedelta

from django.db import migrations, models


def papers_a_week_before(apps, schema_editor):
    """Meetings recorded before papers had a due date: papers a week before the meeting."""
    for name in ("BoardMeeting", "HistoricalBoardMeeting"):
        model = apps.get_model("plans", name)
        for meeting in model.objects.filter(papers_due__isnull=True):
            meeting.papers_due = meeting.date - timedelta(days=7)
            meeting.save(update_fields=["papers_due"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_board_meetings_and_reports")]

    operations = [
        migrations.RunPython(papers_a_week_before, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="boardmeeting",
            name="papers_due",
            field=models.DateField(
                help_text="Updates made by the end of this day are in the board's papers.",
                verbose_name="papers due",
            ),
        ),
        migrations.AlterField(
            model_name="historicalboardmeeting",
            name="papers_due",
            field=models.DateField(
                help_text="Updates made by the end of this day are in the board's papers.",
                verbose_name="papers due",
            ),
        ),
    ]
