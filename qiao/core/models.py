from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


_M = TypeVar("_M", bound=models.Model)


class PrefetchingQuerySet(models.QuerySet[_M]):
    """A query set whose prefetched related sets do not point back at their instance.

    Django keeps each instance's prefetched set as a query set whose routing hints name the
    instance: a reference cycle per instance, so every instance fetched with
    ``prefetch_related`` is freed only by the cyclic collector, whose full collections stop
    every request thread (decision 0008). The hints serve database routers; Qiao has none.
    """

    def _prefetch_related_objects(self) -> None:
        super()._prefetch_related_objects()  # type: ignore[misc]  # not in the stubs
        for instance in self._result_cache or ():
            for related in getattr(instance, "_prefetched_objects_cache", {}).values():
                if isinstance(related, models.QuerySet):
                    related._hints = {}  # type: ignore[attr-defined]  # not in the stubs
