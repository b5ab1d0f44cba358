"""Every CSV file the application writes, for Excel in French, safe to open.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula: a convention titled `=HYPERLINK("http://…?x="&A1;"…")`
would send the neighbouring cells away, `+cmd|' /C calc'!A0` would run a program on an old
Excel. Following OWASP's rule, such a text cell is written with a single quote in front,
which the spreadsheet shows as text. Numbers are left as they are.

It lives in `config`, the bottom layer, so that every app can write CSV through it.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value`, with a single quote in front when it is a text a spreadsheet would take for
    a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file whose write() gives back the line: csv.writer then returns each row."""

    def write(self, value):
        return value


def write_csv(handle: BinaryIO, header: list, rows: Iterable[list]) -> int:
    """Write the same file as `csv_lines` to a binary `handle` (a temporary file: the exports
    the worker writes); returns the number of rows. One row in memory at a time."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    writer = csv.writer(text, delimiter=";")
    text.write("\ufeff")
    writer.writerow([safe_cell(cell) for cell in header])
    count = 0
    for row in rows:
        # `safe_cell`, inlined: a hundred thousand rows of eleven cells.
        writer.writerow(
            ["'" + cell if type(cell) is str and cell.startswith(FORMULA_STARTS) else cell
             for cell in row]
        )  # fmt: skip
        count += 1
    text.flush()
    text.detach()  # the caller's handle stays open
    return count


def csv_lines(header: list, rows: Iterable[list]) -> Iterator[str]:
    """The lines of the file: `header` then `rows`, the first with a BOM, separated by
    semicolons (Excel in French), every cell through `safe_cell`. `rows` is read lazily."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def streaming_csv(filename: str, header: list, rows: Iterable[list]) -> StreamingHttpResponse:
    """A download of `csv_lines`, UTF-8. `rows` is read as the response is sent, so that a
    lazy iterable keeps the memory of one chunk of rows (the exports of more than a page are
    written by the worker instead: `jobs`)."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
