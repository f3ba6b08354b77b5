"""Inserting a column into a sheet the way Excel does, for `template --update`.

openpyxl's insert_cols moves the cells only; everything else that names a column (merged cells,
widths, dropdowns, conditional formats, the filter, frozen panes, tables, hyperlinks, formulas on
every sheet, defined names) is moved here.
"""

from __future__ import annotations

import copy
import re

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import TableColumn

from navigator.contract.text import normalize_key


def _shift_reference(value: str, sheet_name: str, same_sheet: bool, at: int) -> str:
    """A reference with every column at or right of `at` moved one to the right."""
    sheet, bang, ref = value.rpartition("!")
    if bang:
        name = sheet.strip("'").replace("''", "'")
        if name.startswith("[") or normalize_key(name) != normalize_key(sheet_name):
            return value
    elif not same_sheet:
        return value
    parts = ref.split(":")
    shifted = []
    for part in parts:
        match = re.fullmatch(r"(\$?)([A-Za-z]{1,3})(\$?)(\d*)", part)
        if match is None:
            if re.fullmatch(r"\$?\d+", part) and len(parts) == 2:
                shifted.append(part)  # a whole row: no column in it
                continue
            return value  # a name, a structured reference: left as written
        if not match.group(4) and len(parts) == 1:
            return value  # `ABC` alone is a name, not a column
        column = column_index_from_string(match.group(2).upper())
        if column >= at:
            column += 1
        shifted.append(f"{match.group(1)}{get_column_letter(column)}{match.group(3)}{match.group(4)}")
    return f"{sheet}{bang}{':'.join(shifted)}"


def shift_formula(formula: str, sheet_name: str, same_sheet: bool, at: int) -> str:
    bare = not formula.startswith("=")
    try:
        tokens = Tokenizer("=" + formula if bare else formula)
    except Exception:  # noqa: BLE001 - a formula openpyxl cannot parse is left as it is
        return formula
    changed = False
    for token in tokens.items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            new = _shift_reference(token.value, sheet_name, same_sheet, at)
            changed |= new != token.value
            token.value = new
    if not changed:
        return formula
    rendered = tokens.render()
    return rendered[1:] if bare else rendered


def _shifted(cell_range: CellRange, at: int) -> CellRange:
    cell_range = CellRange(cell_range.coord)
    if cell_range.min_col >= at:
        cell_range.shift(col_shift=1)
    elif cell_range.max_col >= at:
        cell_range.expand(right=1)
    return cell_range


def insert_column(workbook, ws, at: int, header: str, header_row: int) -> None:
    """Insert an empty column before column `at`, moving everything that names a column with it.

    openpyxl's insert_cols moves the cells only; merged cells, widths, dropdowns, conditional
    formats, the filter, frozen panes, tables, hyperlinks and formulas (on every sheet, and
    defined names) are moved here, the way Excel moves them when a column is inserted.
    """
    merged = [CellRange(m.coord) for m in ws.merged_cells.ranges]
    for cell_range in merged:
        ws.unmerge_cells(cell_range.coord)
    ws.insert_cols(at)
    for cell_range in merged:
        ws.merge_cells(_shifted(cell_range, at).coord)
    _shift_dimensions(ws, at)
    for validation in ws.data_validations.dataValidation:
        validation.sqref = MultiCellRange([_shifted(r, at) for r in validation.sqref.ranges])
        for attribute in ("formula1", "formula2"):
            value = getattr(validation, attribute)
            if value:
                setattr(validation, attribute, shift_formula(value, ws.title, True, at))
    formats = ConditionalFormattingList()
    for conditional in ws.conditional_formatting:
        where = " ".join(_shifted(r, at).coord for r in conditional.sqref.ranges)
        for rule in conditional.rules:
            rule.formula = [shift_formula(f, ws.title, True, at) for f in rule.formula]
            formats.add(where, rule)
    ws.conditional_formatting = formats
    if ws.auto_filter.ref:
        old = CellRange(ws.auto_filter.ref)
        for column in ws.auto_filter.filterColumn:
            if old.min_col + column.colId >= at:
                column.colId += 1
        ws.auto_filter.ref = _shifted(old, at).coord
    if ws.freeze_panes:
        frozen = CellRange(ws.freeze_panes)
        if frozen.min_col > at:
            ws.freeze_panes = f"{get_column_letter(frozen.min_col + 1)}{frozen.min_row}"
    for table in ws.tables.values():
        old = CellRange(table.ref)
        new = _shifted(old, at)
        if new.size["columns"] > old.size["columns"]:
            position = at - old.min_col
            table.tableColumns.insert(position, TableColumn(id=1, name=header))
            for number, column in enumerate(table.tableColumns, start=1):
                column.id = number
        table.ref = new.coord
        if table.autoFilter is not None:
            table.autoFilter.ref = new.coord
    for cell in ws._cells.values():
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value.text = shift_formula(value.text, ws.title, sheet is ws, at)
                    if sheet is ws:
                        value.ref = _shifted(CellRange(value.ref), at).coord
                elif cell.data_type == "f" and isinstance(value, str):
                    cell.value = shift_formula(value, ws.title, sheet is ws, at)
    names = list(workbook.defined_names.values()) + [n for s in workbook.worksheets for n in s.defined_names.values()]
    for name in names:
        if name.attr_text:
            name.attr_text = shift_formula(name.attr_text, ws.title, False, at)


def _shift_dimensions(ws, at: int) -> None:
    """Column widths and styles move right; a span over the new column is split around it."""
    dimensions = list(ws.column_dimensions.values())
    moved: list[ColumnDimension] = []
    for dimension in dimensions:
        dimension.reindex()
        low, high = dimension.min, dimension.max
        if low >= at:
            moved.append(_dimension_copy(ws, dimension, low + 1, high + 1))
        elif high >= at:
            moved.append(_dimension_copy(ws, dimension, low, at - 1))
            moved.append(_dimension_copy(ws, dimension, at + 1, high + 1))
        else:
            moved.append(dimension)
    ws.column_dimensions.clear()
    for dimension in moved:
        ws.column_dimensions[dimension.index] = dimension


def _dimension_copy(ws, dimension: ColumnDimension, low: int, high: int) -> ColumnDimension:
    new = ColumnDimension(ws, index=get_column_letter(low), width=dimension.width, bestFit=dimension.bestFit,
                          hidden=dimension.hidden, outlineLevel=dimension.outlineLevel, collapsed=dimension.collapsed,
                          min=low, max=high)
    new._style = copy.copy(dimension._style)
    return new


def insert_position(wanted: list[object], item: object, present: dict[object, int], group_of) -> int:
    """Where a missing column goes: right of its nearest earlier sibling, else left of a later one."""
    index = wanted.index(item)
    group = group_of(item)
    for before in reversed(wanted[:index]):
        if group_of(before) == group and before in present:
            return present[before] + 1
    for after in wanted[index + 1:]:
        if group_of(after) == group and after in present:
            return present[after]
    return 0  # no sibling: decided by the caller
