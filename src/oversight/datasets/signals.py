"""Signals other parts listen to, so the Data area need not know who uses a new dataset."""

from django.dispatch import Signal

#: Sent once when a new dataset has been stored (not on a re-upload of the same file).
#: Arguments: ``dataset``.
dataset_stored = Signal()
