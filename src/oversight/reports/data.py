"""The read model of every report — now :mod:`oversight.engine.document`, re-exported here.

The types moved to ``engine`` so that the plan's and the scorecard's own read models (built in
``plans`` and ``performance``, which must not import ``reports``) can return them too: the page,
its ``.json`` twin and every download print the same objects. Read that module's docstring for
how a renderer walks a report. Importing from here keeps working.
"""

from __future__ import annotations

from oversight.engine.document import (  # noqa: F401 - re-exported
    RAG_LABELS,
    REPORT_TYPES,
    SUPPRESSED_TEXT,
    Block,
    BudgetRow,
    CardGroup,
    CardRow,
    Cell,
    ChangeItem,
    Chart,
    Column,
    CommitteeReport,
    HighlightHeader,
    HighlightReport,
    KeyAction,
    KpiGroup,
    KpiRow,
    LogItem,
    MetaItem,
    NoteLine,
    ObjectiveRow,
    Paragraph,
    Report,
    ReportCard,
    RiskRegisterReport,
    RiskRow,
    Section,
    Table,
    ThemeSection,
    TrackerReport,
    TrackerRow,
    _plain,
    financial_year_label,
    iter_tables,
    long_date,
    money,
    month_label,
    rag_cell,
    rag_label,
    short_date,
    to_json,
    uk_date,
)

__all__ = [
    "RAG_LABELS", "REPORT_TYPES", "SUPPRESSED_TEXT", "Block", "BudgetRow", "CardGroup", "CardRow", "Cell",
    "ChangeItem", "Chart", "Column", "CommitteeReport", "HighlightHeader", "HighlightReport", "KeyAction",
    "KpiGroup", "KpiRow", "LogItem", "MetaItem", "NoteLine", "ObjectiveRow", "Paragraph", "Report", "ReportCard",
    "RiskRegisterReport", "RiskRow", "Section", "Table", "ThemeSection", "TrackerReport", "TrackerRow",
    "financial_year_label", "iter_tables", "long_date", "money", "month_label", "rag_cell", "rag_label",
    "short_date", "to_json", "uk_date",
]
