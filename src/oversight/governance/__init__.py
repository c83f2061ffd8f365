"""Governance around the plan: boards and meetings, inspections and visits, work programme, projects,
self-assessment, reminders."""
