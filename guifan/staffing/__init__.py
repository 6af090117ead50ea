"""Hall staffing maths (pure): see issue 7."""
