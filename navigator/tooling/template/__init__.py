"""Workbooks for the people who fill them in: a new city, a department template, and its update.

`init_city` (starter.py) writes a folder a new city starts from (common.xlsx and an example
department); `make_template` (authoring.py) writes a department workbook from the questions and
categories of common.xlsx; `update_template` (update.py) brings an existing one up to date after
the coordinating division changed them. Every column is explained where it is filled in (an
input message on its header cell, shown when the cell is selected), dropdowns stand in for
typing, and a 記入方法 sheet (instructions.py) says how to fill the workbook in, with an example.

The sheets and columns, input messages included, come from `navigator.contract.sheets`.
"""

from __future__ import annotations

from navigator.tooling.template.authoring import TemplateResult, make_template, write_department_template
from navigator.tooling.template.common import TemplateError, read_common
from navigator.tooling.template.starter import InitResult, init_city, write_common_workbook
from navigator.tooling.template.update import UpdateResult, update_department_workbook, update_template

__all__ = [
    "InitResult", "TemplateError", "TemplateResult", "UpdateResult", "init_city", "make_template", "read_common",
    "update_department_workbook", "update_template", "write_common_workbook", "write_department_template",
]
