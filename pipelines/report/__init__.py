"""The static HTML report ("where to work in ML"), built from the published warehouse."""

from pipelines.report.build import build_report, report_counts, report_path

__all__ = ["build_report", "report_counts", "report_path"]
