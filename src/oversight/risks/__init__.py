"""Risks and issues, key areas of concern and medium-term developments (seed 001)."""
