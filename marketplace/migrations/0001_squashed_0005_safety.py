"""marketplace 0001-0005 in one migration, for new databases (a database that has applied any of
them goes on with the replaced files). 0004_geo_cell_fill filled geo_cell of existing workers:
a new database has none, so it is not repeated here; the reference data is loaded last."""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import marketplace.models.service_cards
from django.conf import settings
from django.db import migrations, models


# Functions from the following migrations need manual copying.
# Move them and any dependencies into this file, then update the
# RunPython operations to refer to the local versions:
# marketplace.migrations.0001_squashed_0005_safety

def load_reference_data(apps, schema_editor):
    """The divisions and trades (as 0002_reference_data), once every table exists."""
    from marketplace.reference_data import load

    load(apps.get_model("marketplace", "Division"), apps.get_model("marketplace", "Category"))


class Migration(migrations.Migration):

    replaces = [('marketplace', '0001_initial'), ('marketplace', '0002_reference_data'), ('marketplace', '0003_worker_geo_cell'), ('marketplace', '0004_geo_cell_fill'), ('marketplace', '0005_safety')]

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Agency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='企业名称')),
                ('licence_number', models.CharField(max_length=30, unique=True, verbose_name='营业执照号')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='联系电话')),
                ('is_active', models.BooleanField(default=True, verbose_name='营业中')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': '家政企业',
                'verbose_name_plural': '家政企业',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='代码')),
                ('name_zh', models.CharField(max_length=50, verbose_name='中文名')),
                ('name_en', models.CharField(max_length=100, verbose_name='英文名')),
                ('requires_certificate', models.BooleanField(default=True, verbose_name='需要资格证书')),
                ('certificate_name_zh', models.CharField(blank=True, max_length=100, verbose_name='所需证书（中文）')),
                ('certificate_name_en', models.CharField(blank=True, max_length=100, verbose_name='所需证书（英文）')),
                ('pricing_unit', models.CharField(choices=[('hour', '按小时'), ('day', '按天'), ('month', '按月')], default='hour', max_length=10, verbose_name='计价单位')),
                ('service_content_zh', models.TextField(blank=True, verbose_name='服务内容（合同模板）')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
            ],
            options={
                'verbose_name': '服务工种',
                'verbose_name_plural': '服务工种',
                'ordering': ['sort_order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='Division',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=12, unique=True, verbose_name='代码')),
                ('name_zh', models.CharField(max_length=50, verbose_name='中文名')),
                ('name_en', models.CharField(max_length=100, verbose_name='英文名')),
                ('kind', models.CharField(choices=[('subdistrict', '街道'), ('town', '镇')], max_length=20, verbose_name='类型')),
                ('latitude', models.FloatField(verbose_name='纬度')),
                ('longitude', models.FloatField(verbose_name='经度')),
                ('accuracy', models.CharField(blank=True, max_length=100, verbose_name='位置精度')),
            ],
            options={
                'verbose_name': '行政区划',
                'verbose_name_plural': '行政区划',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('role', models.CharField(choices=[('household', '雇主家庭'), ('worker', '家政服务员'), ('agency_staff', '家政企业员工'), ('federation', '妇联工作人员'), ('operator', '平台运营')], default='household', max_length=20, verbose_name='角色')),
                ('display_name', models.CharField(blank=True, max_length=50, verbose_name='显示名称')),
                ('phone', models.CharField(blank=True, max_length=11, validators=[django.core.validators.RegexValidator('^1[3-9]\\d{9}$', '请输入11位中国大陆手机号码。', code='invalid_phone')], verbose_name='手机号')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': '用户',
                'verbose_name_plural': '用户',
                'abstract': False,
                'indexes': [models.Index(fields=['role'], name='marketplace_role_5ded62_idx')],
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='AgencyStaff',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('staff_role', models.CharField(choices=[('owner', '负责人'), ('staff', '员工')], default='staff', max_length=10, verbose_name='岗位')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='staff', to='marketplace.agency')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='agency_staff', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '企业员工',
                'verbose_name_plural': '企业员工',
            },
        ),
        migrations.AddField(
            model_name='agency',
            name='division',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agencies', to='marketplace.division', verbose_name='所在区划'),
        ),
        migrations.CreateModel(
            name='FederationOfficerProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='姓名')),
                ('title', models.CharField(blank=True, max_length=50, verbose_name='职务')),
                ('division', models.ForeignKey(blank=True, help_text='为空表示全市', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='marketplace.division', verbose_name='负责区划')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='federation_officer', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '妇联工作人员',
                'verbose_name_plural': '妇联工作人员',
            },
        ),
        migrations.CreateModel(
            name='HouseholdProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='称呼')),
                ('phone', models.CharField(max_length=11, validators=[django.core.validators.RegexValidator('^1[3-9]\\d{9}$', '请输入11位中国大陆手机号码。', code='invalid_phone')], verbose_name='手机号')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('latitude', models.FloatField(blank=True, null=True, verbose_name='纬度')),
                ('longitude', models.FloatField(blank=True, null=True, verbose_name='经度')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('division', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='households', to='marketplace.division', verbose_name='所在区划')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='household', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '雇主家庭',
                'verbose_name_plural': '雇主家庭',
            },
        ),
        migrations.CreateModel(
            name='WorkerProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('real_name', models.CharField(max_length=50, verbose_name='真实姓名')),
                ('phone', models.CharField(max_length=11, validators=[django.core.validators.RegexValidator('^1[3-9]\\d{9}$', '请输入11位中国大陆手机号码。', code='invalid_phone')], verbose_name='手机号')),
                ('id_card_ciphertext', models.TextField(blank=True, editable=False, verbose_name='身份证号（加密）')),
                ('id_card_digest', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                ('id_card_last4', models.CharField(blank=True, editable=False, max_length=4)),
                ('base_latitude', models.FloatField(blank=True, null=True, verbose_name='常驻点纬度')),
                ('base_longitude', models.FloatField(blank=True, null=True, verbose_name='常驻点经度')),
                ('service_radius_km', models.FloatField(default=10, validators=[django.core.validators.MinValueValidator(0.5), django.core.validators.MaxValueValidator(200)], verbose_name='服务半径（公里）')),
                ('hourly_rate', models.PositiveIntegerField(default=0, verbose_name='时薪（分）')),
                ('availability', models.JSONField(blank=True, default=dict, verbose_name='每周可服务时间')),
                ('is_accepting_offers', models.BooleanField(default=True, verbose_name='接单中')),
                ('is_verified', models.BooleanField(default=False, verbose_name='已实名认证')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='认证时间')),
                ('bio', models.TextField(blank=True, verbose_name='简介')),
                ('rating_sum', models.PositiveIntegerField(default=0)),
                ('rating_count', models.PositiveIntegerField(default=0)),
                ('completed_jobs', models.PositiveIntegerField(default=0)),
                ('no_shows', models.PositiveIntegerField(default=0)),
                ('late_cancellations', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('categories', models.ManyToManyField(blank=True, related_name='workers', to='marketplace.category', verbose_name='工种')),
                ('division', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='workers', to='marketplace.division', verbose_name='所在区划')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='worker', to=settings.AUTH_USER_MODEL)),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='认证人')),
                ('geo_cell', models.BigIntegerField(blank=True, editable=False, null=True)),
            ],
            options={
                'verbose_name': '家政服务员',
                'verbose_name_plural': '家政服务员',
                'indexes': [models.Index(fields=['base_latitude', 'base_longitude'], name='worker_base_point'), models.Index(fields=['geo_cell', 'base_latitude', 'base_longitude', 'service_radius_km', 'rating_sum', 'rating_count', 'completed_jobs', 'no_shows', 'late_cancellations', 'is_verified', 'is_accepting_offers'], name='worker_cell_point')],
            },
        ),
        migrations.CreateModel(
            name='TrainingRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='核验时间')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('course', models.CharField(max_length=100, verbose_name='课程')),
                ('kind', models.CharField(choices=[('pre_job', '岗前培训'), ('refresher', '复训'), ('grade', '等级培训')], max_length=20, verbose_name='培训类型')),
                ('provider', models.CharField(blank=True, max_length=100, verbose_name='培训机构')),
                ('completed_on', models.DateField(verbose_name='结业日期')),
                ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='marketplace.category', verbose_name='工种')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='核验人')),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='training_records', to='marketplace.workerprofile')),
            ],
            options={
                'verbose_name': '培训记录',
                'verbose_name_plural': '培训记录',
                'ordering': ['-completed_on'],
                'indexes': [models.Index(fields=['worker', 'kind', 'completed_on'], name='marketplace_worker__c5999a_idx')],
            },
        ),
        migrations.CreateModel(
            name='RosterEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('invited', '已邀请'), ('active', '在职'), ('ended', '已结束')], default='active', max_length=10, verbose_name='状态')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='入职日期')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='离职日期')),
                ('end_reason', models.CharField(blank=True, max_length=200, verbose_name='结束原因')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roster', to='marketplace.agency')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roster_entries', to='marketplace.workerprofile')),
            ],
            options={
                'verbose_name': '员工花名册',
                'verbose_name_plural': '员工花名册',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('worker',), name='one_active_agency_per_worker')],
            },
        ),
        migrations.CreateModel(
            name='HealthCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='核验时间')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('done_on', models.DateField(verbose_name='体检日期')),
                ('valid_until', models.DateField(verbose_name='有效期至')),
                ('institution', models.CharField(blank=True, max_length=100, verbose_name='体检机构')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='核验人')),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='health_checks', to='marketplace.workerprofile')),
            ],
            options={
                'verbose_name': '健康体检',
                'verbose_name_plural': '健康体检',
                'ordering': ['-done_on'],
                'indexes': [models.Index(fields=['worker', 'valid_until'], name='marketplace_worker__50b3c9_idx')],
            },
        ),
        migrations.CreateModel(
            name='Certificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='核验时间')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('number', models.CharField(max_length=50, verbose_name='证书编号')),
                ('level', models.CharField(blank=True, max_length=30, verbose_name='等级')),
                ('issuer', models.CharField(max_length=100, verbose_name='发证机构')),
                ('issued_on', models.DateField(verbose_name='发证日期')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='有效期至')),
                ('is_revoked', models.BooleanField(default=False, verbose_name='已吊销')),
                ('revoked_reason', models.CharField(blank=True, max_length=200, verbose_name='吊销原因')),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='marketplace.category', verbose_name='工种')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='核验人')),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificates', to='marketplace.workerprofile')),
            ],
            options={
                'verbose_name': '资格证书',
                'verbose_name_plural': '资格证书',
                'ordering': ['-issued_on'],
                'indexes': [models.Index(fields=['worker', 'category', 'expires_on'], name='marketplace_worker__813d5d_idx')],
                'constraints': [models.UniqueConstraint(fields=('issuer', 'number'), name='unique_certificate_number')],
            },
        ),
        migrations.CreateModel(
            name='ServiceCard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.CharField(default=marketplace.models.service_cards._public_id, editable=False, max_length=32, unique=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('photo', models.FileField(blank=True, upload_to=marketplace.models.service_cards.card_photo_path, verbose_name='证件照')),
                ('issued_at', models.DateTimeField(auto_now_add=True, verbose_name='签发时间')),
                ('reissued_at', models.DateTimeField(blank=True, null=True, verbose_name='重新签发时间')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='吊销时间')),
                ('revoke_reason', models.CharField(blank=True, max_length=200, verbose_name='吊销原因')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('worker', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='service_card', to='marketplace.workerprofile')),
            ],
            options={
                'verbose_name': '服务证',
                'verbose_name_plural': '服务证',
            },
        ),
        migrations.CreateModel(
            name='HouseholdBlock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order_id', models.PositiveIntegerField(blank=True, null=True)),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='原因')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='blocked_by_workers', to=settings.AUTH_USER_MODEL)),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='household_blocks', to='marketplace.workerprofile')),
            ],
            options={
                'verbose_name': '屏蔽的雇主',
                'verbose_name_plural': '屏蔽的雇主',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['household', 'worker'], name='marketplace_househo_0d7e3f_idx')],
                'constraints': [models.UniqueConstraint(fields=('worker', 'household'), name='one_block_per_pair')],
            },
        ),
        migrations.CreateModel(
            name='ReliabilityAppeal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order_id', models.PositiveIntegerField()),
                ('incident', models.CharField(choices=[('no_show', '爽约'), ('late_cancellation', '迟取消')], max_length=20, verbose_name='记录类型')),
                ('reason', models.TextField(max_length=1000, verbose_name='申诉理由')),
                ('status', models.CharField(choices=[('pending', '待处理'), ('upheld', '申诉成立'), ('rejected', '申诉驳回')], default='pending', max_length=10, verbose_name='状态')),
                ('decision_note', models.TextField(blank=True, max_length=1000, verbose_name='处理说明')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appeals', to='marketplace.agency')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appeals', to='marketplace.workerprofile')),
            ],
            options={
                'verbose_name': '信用申诉',
                'verbose_name_plural': '信用申诉',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['agency', 'status', '-created_at'], name='marketplace_agency__7da139_idx')],
                'constraints': [models.UniqueConstraint(fields=('worker', 'order_id', 'incident'), name='one_appeal_per_incident')],
            },
        ),
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
