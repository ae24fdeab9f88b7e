"""Renderers of the breakdown exports: a `BreakdownReport` (what the export use case assembled, in
`cortexreel.services.exports`) written as CSV, an XLSX workbook or a PDF report. They decide nothing about the
scenes, read nothing and check no permission: they only lay out what they are given.

- `breakdown`: the report handed to every renderer.
- `spreadsheets`: CSV and XLSX.
- `pdf`: the PDF breakdown report (title page, a sheet per scene, the risk register).
"""
