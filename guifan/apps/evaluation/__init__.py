"""Evaluators (issue 14, point 7): quality plans, queues, evaluations, calibration, disputes."""
