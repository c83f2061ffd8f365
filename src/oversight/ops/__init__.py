"""Running Oversight: serving, backup and restore, error pages, the accessibility statement."""
