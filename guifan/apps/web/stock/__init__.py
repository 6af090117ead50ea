"""The stock page for dispatchers and the customer's receipt link (issue 13)."""
