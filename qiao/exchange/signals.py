"""Signals other apps may listen to, so exchange never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the indexing task once a published profile is in the search index (keyword argument
# profile_id). Alerts listen to send "immediate" saved-search alerts; the index must hold the
# profile first, or a saved query would not find it.
profile_indexed = Signal()
