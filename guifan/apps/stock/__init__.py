"""Area stock: spare parts, materials and loaner units; requisitions (ORD-04), loaners (ORD-07)."""
