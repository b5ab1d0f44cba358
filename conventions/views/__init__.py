"""The staff pages of a convention: `lists` (the list and its CSV export), `detail` (the
convention page and its history), `edit` (writing a draft), `workflow` (signatures,
avenants, renewal, events)."""
