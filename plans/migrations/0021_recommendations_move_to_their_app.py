# The recommendations register moves to its own app (recommendations 0001). The tables stay where
# they are: this changes Django's state only, and writes no SQL.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0020_papers_move_to_boards'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalrecommendation_responsible_posts',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalrecommendation_objectives',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalrecommendation_objectives',
                    name='objective',
                ),
                migrations.RemoveField(
                    model_name='historicalrecommendation_objectives',
                    name='recommendation',
                ),
                migrations.RemoveField(
                    model_name='historicalrecommendation_responsible_posts',
                    name='post',
                ),
                migrations.RemoveField(
                    model_name='historicalrecommendation_responsible_posts',
                    name='recommendation',
                ),
                migrations.RemoveField(
                    model_name='paneldecision',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='paneldecision',
                    name='recommendation',
                ),
                migrations.RemoveField(
                    model_name='paneldecision',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='made_at',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='objectives',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='responsible_posts',
                ),
                migrations.RemoveField(
                    model_name='recommendationupdate',
                    name='recommendation',
                ),
                migrations.RemoveField(
                    model_name='recommendationupdate',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='HistoricalRecommendation',
                ),
                migrations.DeleteModel(
                    name='HistoricalRecommendation_objectives',
                ),
                migrations.DeleteModel(
                    name='HistoricalRecommendation_responsible_posts',
                ),
                migrations.DeleteModel(
                    name='PanelDecision',
                ),
                migrations.DeleteModel(
                    name='Recommendation',
                ),
                migrations.DeleteModel(
                    name='RecommendationUpdate',
                ),
            ],
        ),
    ]
