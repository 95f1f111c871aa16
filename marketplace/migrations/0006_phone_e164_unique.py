"""Phones in E.164 and unique per account.

Existing numbers (11 mainland digits, as the old validator allowed) become +86…; anything else
is run through phonenumbers and blanked when it is not a mainland mobile number. Where one
number sits on several accounts (users, or worker profiles), the oldest account (lowest id)
keeps it and the others' numbers are blanked and logged: they enter and verify a number again
(nobody's number had been verified before this migration, so no verified number is lost).
"""

import logging
import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import marketplace.phones

logger = logging.getLogger("meijia.migrations")
OLD_FORMAT = re.compile(r"^1[3-9]\d{9}$")


def _normal(raw):
    raw = (raw or "").strip()
    if not raw:
        return ""
    if OLD_FORMAT.match(raw):
        return "+86" + raw
    try:
        return marketplace.phones.phone_normalize(raw)
    except Exception:  # noqa: BLE001 - anything unreadable is blanked
        return ""


def _normalise_table(model, label, *, unique):
    seen = set()
    changed = []
    for row in model.objects.only("pk", "phone").order_by("pk").iterator(chunk_size=2000):
        phone = _normal(row.phone)
        if unique and phone and phone in seen:
            logger.warning("%s %s: phone %s already on an older account, blanked", label, row.pk, phone)
            phone = ""
        if phone:
            seen.add(phone)
        if phone != row.phone:
            row.phone = phone
            changed.append(row)
    model.objects.bulk_update(changed, ["phone"], batch_size=1000)


def phones_to_e164(apps, schema_editor):
    _normalise_table(apps.get_model("marketplace", "User"), "user", unique=True)
    _normalise_table(apps.get_model("marketplace", "WorkerProfile"), "worker", unique=True)
    _normalise_table(apps.get_model("marketplace", "HouseholdProfile"), "household", unique=False)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('marketplace', '0005_safety'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='phone_verified_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='手机号验证时间'),
        ),
        migrations.AlterField(
            model_name='householdprofile',
            name='phone',
            field=marketplace.phones.PhoneField(verbose_name='手机号'),
        ),
        migrations.AlterField(
            model_name='user',
            name='phone',
            field=marketplace.phones.PhoneField(blank=True, verbose_name='手机号'),
        ),
        migrations.AlterField(
            model_name='workerprofile',
            name='phone',
            field=marketplace.phones.PhoneField(verbose_name='手机号'),
        ),
        migrations.RunPython(phones_to_e164, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(condition=models.Q(('phone', ''), _negated=True), fields=('phone',), name='user_phone_unique'),
        ),
        migrations.AddConstraint(
            model_name='workerprofile',
            constraint=models.UniqueConstraint(condition=models.Q(('phone', ''), _negated=True), fields=('phone',), name='worker_phone_unique'),
        ),
            migrations.CreateModel(
            name='ResetLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reset_links_made', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reset_links', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '密码重置链接',
                'verbose_name_plural': '密码重置链接',
            },
        ),
        migrations.CreateModel(
            name='PhoneCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', marketplace.phones.PhoneField()),
                ('purpose', models.CharField(choices=[('verify', '验证手机号'), ('reset', '重置密码'), ('claim', '认领账号')], max_length=10)),
                ('code_hash', models.CharField(max_length=128)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('tries', models.PositiveSmallIntegerField(default=0)),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='phone_codes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '手机验证码',
                'verbose_name_plural': '手机验证码',
                'indexes': [models.Index(fields=['phone', 'purpose', '-created_at'], name='marketplace_phone_8eb5d3_idx')],
            },
        ),
    
    ]
