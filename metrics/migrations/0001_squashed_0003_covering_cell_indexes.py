"""metrics 0001-0003 in one migration, for new databases (a database that has applied any of them
goes on with the replaced files)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('metrics', '0001_initial'), ('metrics', '0002_remove_distinctmember_metrics_member_prev_and_more'), ('metrics', '0003_covering_cell_indexes')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='OrderLedger',
            fields=[
                ('order_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('contribution', models.JSONField(default=dict)),
            ],
        ),
        migrations.CreateModel(
            name='DailyCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('division_id', models.PositiveIntegerField(default=0)),
                ('category_id', models.PositiveIntegerField(default=0)),
                ('orders_created', models.IntegerField(default=0)),
                ('status_pending_contract', models.IntegerField(default=0)),
                ('status_confirmed', models.IntegerField(default=0)),
                ('status_in_progress', models.IntegerField(default=0)),
                ('status_awaiting_confirmation', models.IntegerField(default=0)),
                ('status_completed', models.IntegerField(default=0)),
                ('status_cancelled', models.IntegerField(default=0)),
                ('status_disputed', models.IntegerField(default=0)),
                ('status_replaced', models.IntegerField(default=0)),
                ('match_seconds', models.BigIntegerField(default=0)),
                ('wait_0', models.IntegerField(default=0)),
                ('wait_1', models.IntegerField(default=0)),
                ('wait_2', models.IntegerField(default=0)),
                ('wait_3', models.IntegerField(default=0)),
                ('wait_4', models.IntegerField(default=0)),
                ('wait_5', models.IntegerField(default=0)),
                ('wait_6', models.IntegerField(default=0)),
                ('wait_7', models.IntegerField(default=0)),
                ('wait_8', models.IntegerField(default=0)),
                ('wait_9', models.IntegerField(default=0)),
                ('wait_10', models.IntegerField(default=0)),
                ('wait_11', models.IntegerField(default=0)),
                ('wait_12', models.IntegerField(default=0)),
                ('signed_contracts', models.IntegerField(default=0)),
                ('completed_orders', models.IntegerField(default=0)),
                ('reviews', models.IntegerField(default=0)),
                ('rating_sum', models.IntegerField(default=0)),
                ('day', models.DateField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'division_id', 'category_id'), name='metrics_daily_bucket')],
            },
        ),
        migrations.CreateModel(
            name='MonthlyCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('division_id', models.PositiveIntegerField(default=0)),
                ('category_id', models.PositiveIntegerField(default=0)),
                ('orders_created', models.IntegerField(default=0)),
                ('status_pending_contract', models.IntegerField(default=0)),
                ('status_confirmed', models.IntegerField(default=0)),
                ('status_in_progress', models.IntegerField(default=0)),
                ('status_awaiting_confirmation', models.IntegerField(default=0)),
                ('status_completed', models.IntegerField(default=0)),
                ('status_cancelled', models.IntegerField(default=0)),
                ('status_disputed', models.IntegerField(default=0)),
                ('status_replaced', models.IntegerField(default=0)),
                ('match_seconds', models.BigIntegerField(default=0)),
                ('wait_0', models.IntegerField(default=0)),
                ('wait_1', models.IntegerField(default=0)),
                ('wait_2', models.IntegerField(default=0)),
                ('wait_3', models.IntegerField(default=0)),
                ('wait_4', models.IntegerField(default=0)),
                ('wait_5', models.IntegerField(default=0)),
                ('wait_6', models.IntegerField(default=0)),
                ('wait_7', models.IntegerField(default=0)),
                ('wait_8', models.IntegerField(default=0)),
                ('wait_9', models.IntegerField(default=0)),
                ('wait_10', models.IntegerField(default=0)),
                ('wait_11', models.IntegerField(default=0)),
                ('wait_12', models.IntegerField(default=0)),
                ('signed_contracts', models.IntegerField(default=0)),
                ('completed_orders', models.IntegerField(default=0)),
                ('reviews', models.IntegerField(default=0)),
                ('rating_sum', models.IntegerField(default=0)),
                ('month', models.DateField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('month', 'division_id', 'category_id'), name='metrics_monthly_bucket')],
            },
        ),
        migrations.CreateModel(
            name='SubjectLock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_type', models.CharField(max_length=10)),
                ('subject_id', models.BigIntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('subject_type', 'subject_id'), name='metrics_lock')],
            },
        ),
        migrations.CreateModel(
            name='DistinctMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('served_household', 'served households'), ('employed_worker', 'workers with a signed contract'), ('served_worker', 'workers who served'), ('untrained_service', 'workers who served without pre-job training'), ('unchecked_service', 'workers who served without a valid health check'), ('trained_worker', 'workers who completed a training course'), ('certified_worker', 'workers issued a certificate')], max_length=20)),
                ('scope', models.CharField(choices=[('a', 'all'), ('d', 'division'), ('c', 'category'), ('dc', 'division and category')], max_length=2)),
                ('division_id', models.PositiveIntegerField(default=0)),
                ('category_id', models.PositiveIntegerField(default=0)),
                ('subject_id', models.BigIntegerField()),
                ('day', models.DateField()),
                ('prev_day', models.DateField()),
                ('weight', models.PositiveIntegerField(default=1)),
            ],
            options={
                'indexes': [models.Index(fields=['scope', 'prev_day', 'day', 'division_id', 'category_id', 'kind'], name='metrics_member_prev')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'subject_id', 'scope', 'division_id', 'category_id', 'day'), name='metrics_member_unique')],
            },
        ),
        migrations.CreateModel(
            name='DistinctDayCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('served_household', 'served households'), ('employed_worker', 'workers with a signed contract'), ('served_worker', 'workers who served'), ('untrained_service', 'workers who served without pre-job training'), ('unchecked_service', 'workers who served without a valid health check'), ('trained_worker', 'workers who completed a training course'), ('certified_worker', 'workers issued a certificate')], max_length=20)),
                ('scope', models.CharField(choices=[('a', 'all'), ('d', 'division'), ('c', 'category'), ('dc', 'division and category')], max_length=2)),
                ('division_id', models.PositiveIntegerField(default=0)),
                ('category_id', models.PositiveIntegerField(default=0)),
                ('day', models.DateField()),
                ('month', models.DateField()),
                ('prev_month', models.DateField()),
                ('count', models.IntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['scope', 'day', 'kind', 'division_id', 'category_id', 'prev_month', 'count'], name='metrics_day_cell_cover')],
                'constraints': [models.UniqueConstraint(fields=('scope', 'day', 'kind', 'division_id', 'category_id', 'prev_month'), name='metrics_day_cell_unique')],
            },
        ),
        migrations.CreateModel(
            name='DistinctMonthCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('served_household', 'served households'), ('employed_worker', 'workers with a signed contract'), ('served_worker', 'workers who served'), ('untrained_service', 'workers who served without pre-job training'), ('unchecked_service', 'workers who served without a valid health check'), ('trained_worker', 'workers who completed a training course'), ('certified_worker', 'workers issued a certificate')], max_length=20)),
                ('scope', models.CharField(choices=[('a', 'all'), ('d', 'division'), ('c', 'category'), ('dc', 'division and category')], max_length=2)),
                ('division_id', models.PositiveIntegerField(default=0)),
                ('category_id', models.PositiveIntegerField(default=0)),
                ('month', models.DateField()),
                ('prev_month', models.DateField()),
                ('count', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('scope', 'month', 'kind', 'division_id', 'category_id', 'prev_month'), name='metrics_month_cell_unique')],
                'indexes': [models.Index(fields=['scope', 'month', 'kind', 'division_id', 'category_id', 'prev_month', 'count'], name='metrics_month_cell_cover')],
            },
        ),
    ]
