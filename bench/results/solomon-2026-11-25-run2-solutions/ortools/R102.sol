Cost 0.0
