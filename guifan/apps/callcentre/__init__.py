"""The call centre: callback worklists (ORD-03, QA-01, QA-06, complaints), versioned survey
forms whose answers become verdicts, and false closures (issue 14)."""
