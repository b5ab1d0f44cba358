import datetime
import doctest

import conventions.rules.dates
import conventions.rules.formatting
import conventions.rules.numbering
from conventions.rules.formatting import french_date, render_markup


def test_doctests():
    for module in (
        conventions.rules.formatting,
        conventions.rules.numbering,
        conventions.rules.dates,
    ):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed


def test_french_dates():
    assert french_date(datetime.date(2013, 5, 16)) == "16 mai 2013"
    assert french_date(datetime.date(2021, 3, 1)) == "1er mars 2021"
    assert french_date(datetime.date(2013, 2, 17)) == "17 février 2013"
    assert french_date(None) == ""


def test_markup_escapes_html_and_renders_lists():
    html = render_markup(
        "<script>alert(1)</script>\n\n1. Diffusion\n2. **Intervention**\n\n- a\n- *b*"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<ol><li>Diffusion</li><li><strong>Intervention</strong></li></ol>" in html
    assert "<ul><li>a</li><li><em>b</em></li></ul>" in html


def test_markup_keeps_lines_of_a_paragraph():
    assert (
        str(render_markup("Fait à Marseille\nle 17 mai")) == "<p>Fait à Marseille<br>le 17 mai</p>"
    )
