"""Field work on site: the visit checklist, evidence, signature, rating and offline sync."""
