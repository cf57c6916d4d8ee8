"""Writing a drafted `Section` to a file chosen by its ending (.docx, .md, .html/.htm, .pdf).

The command line, scripts and any other caller write a section the same way: every file
atomically, and the folder checked before anything is written, so a missing folder is
reported against the file the user named (not the chart written beside a Markdown file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from commissioning.drafting.section import Section
from commissioning.outputs import require_folder, write_atomic

#: File endings `write_section` understands.
SECTION_SUFFIXES: Final = (".docx", ".md", ".html", ".htm", ".pdf")
#: The charts written beside a Markdown section (Markdown cannot hold the images
#: itself): Figure 1 as the first, any later chart (by sex, by age) as the second.
CHART_NAME: Final = "{stem}_chart.png"
MORE_CHART_NAME: Final = "{stem}_chart_{number}.png"


def write_section(section: Section, target: Path) -> list[Path]:
    """Write ``section`` to ``target`` (its ending picks the format) and its internal
    audit record beside it (`commissioning.render.audit_record`); the files written.

    The caller has checked the ending against `SECTION_SUFFIXES`; an unknown ending is
    written as HTML.
    """
    from commissioning.render.audit_record import write_audit_record

    written = _write_section(section, target)
    return [*written, write_audit_record(section, target)]


def _write_section(section: Section, target: Path) -> list[Path]:
    require_folder(target)
    suffix = target.suffix.lower()
    if suffix == ".pdf":  # the Word layout, converted by LibreOffice
        from commissioning.render.docx import render_docx
        from commissioning.render.pdf import write_pdf

        return [write_pdf(render_docx(section), target)]
    if suffix == ".docx":
        from commissioning.render.docx import write_docx

        write_docx(section, target)
        return [target]
    if suffix == ".md":
        from commissioning.render.chart import render_chart_png
        from commissioning.render.markdown import render_markdown

        written: list[Path] = []
        for i, chart in enumerate(section.charts()):
            name = (CHART_NAME.format(stem=target.stem) if i == 0
                    else MORE_CHART_NAME.format(stem=target.stem, number=i + 1))
            written.append(write_atomic(target.with_name(name), render_chart_png(chart.spec)))
        names = [path.name for path in written]
        written.insert(0, write_atomic(target, render_markdown(section, chart_paths=names)))
        return written
    from commissioning.render.html import render_html

    return [write_atomic(target, render_html(section))]
