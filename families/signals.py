"""Signals of the consent ledger. Higher layers react to them (families may not import them):
media_library lowers the visibility of the student's work when consent is withdrawn, and
the page cache (11/13) purges the student's pages (donate blocks and names change without
a page being republished)."""

from django.dispatch import Signal

# Sent inside the transaction that recorded the withdrawal, with `student`, `purpose`
# (families.models.Purpose), `record` (the ConsentRecord) and `user` (who withdrew it).
# Receivers that touch things outside the database wait for the commit (on_commit).
consent_withdrawn = Signal()

# Sent once the withdrawal has committed and its effects are done, with `student`,
# `purpose` and `page_ids` (the student's pages whose rendering may have changed): the hook
# for the page cache to purge them.
consent_pages_changed = Signal()
