"""Every CSV file the application writes, for Excel in French, safe to open.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula: a convention titled `=HYPERLINK("http://…?x="&A1;"…")`
would send the neighbouring cells away, `+cmd|' /C calc'!A0` would run a program on an old
Excel. Following OWASP's rule, such a text cell is written with a single quote in front,
which the spreadsheet shows as text. Numbers are left as they are.

It lives in `config`, the bottom layer, so that every app can write CSV through it.
"""

import csv
from collections.abc import Iterable

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


def streaming_csv(filename: str, header: list, rows: Iterable[list]) -> StreamingHttpResponse:
    """A download of `header` then `rows`: UTF-8 with a BOM and semicolons (Excel in French),
    every cell through `safe_cell`. `rows` is read as the response is sent, so that a lazy
    iterable keeps the memory of one chunk of rows."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
