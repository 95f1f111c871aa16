"""The static-file storage of `make run`: the same hashed, compressed files as production, even
with DEBUG on (Django's manifest storage hands out the unhashed names in DEBUG, which a browser
may cache only briefly and WhiteNoise serves uncompressed from the apps' folders). A change to a
CSS or JS file shows after the next `make run`, which runs collectstatic."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ServedAsInProductionStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        return super().url(name, force=True)
