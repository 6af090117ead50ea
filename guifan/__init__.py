"""guifan (规范): telecom service standards as running software."""
