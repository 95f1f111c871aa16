"""`manage.py load_reference_data`: create or update the 16 divisions and the service trades."""

from django.core.management.base import BaseCommand

from marketplace import reference_data
from marketplace.models import Category, Division, ReviewTag


class Command(BaseCommand):
    help = "Reload divisions (data/linqing_divisions.csv), trades and their review tags."

    def handle(self, *args, **options):
        divisions, categories = reference_data.load(Division, Category, ReviewTag)
        self.stdout.write(f"{divisions} divisions, {categories} categories.")
