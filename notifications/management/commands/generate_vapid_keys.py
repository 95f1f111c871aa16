"""`python manage.py generate_vapid_keys`: print a new VAPID key pair for Web Push."""

from django.core.management.base import BaseCommand

from notifications.webpush import vapid_keys_generate


class Command(BaseCommand):
    help = "Print a new VAPID key pair as environment lines (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)."

    def handle(self, *args, **options):
        public, private = vapid_keys_generate()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
