"""Families' feedback, part "form": the public answer form at ``/palaute`` (no sign-in), its protection
against abuse (honeypot, rate limit, size limits, session-free CSRF), the scrubbing of personal data
before anything is stored, the write to the operational store, and QR codes and posters of a
municipality's link. See :mod:`.routes` for the pages and the order of the checks."""
