from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CountersignAuthorisation(models.Model):
    """An agency's standing authorisation (电子签章授权) to countersign, as 丙方, the standard
    contract of its rostered workers once household and worker have signed.

    At most one is in force per agency (revoked_at is null); revoked ones stay as history, and
    every signature made under one points at it (ContractSignature.authorisation)."""

    agency = models.ForeignKey(
        "marketplace.Agency", on_delete=models.CASCADE, related_name="countersign_authorisations"
    )
    statement = models.TextField(_("授权内容"))
    authorised_by = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, related_name="+"
    )
    authorised_at = models.DateTimeField(_("授权时间"))
    revoked_by = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-authorised_at", "-pk"]
        verbose_name = _("电子签章授权")
        verbose_name_plural = _("电子签章授权")
        constraints = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(revoked_at__isnull=True),
                name="one_countersign_authorisation_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"countersign authorisation #{self.pk} of agency #{self.agency_id}"

    @property
    def is_in_force(self) -> bool:
        return self.revoked_at is None
