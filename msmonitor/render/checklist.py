"""Checklists rendered for the terminal (rich), Markdown and print (HTML).

The HTML is one self-contained file: inline CSS, no scripts, no network.
Its print CSS fits both A4 and US Letter (the content box is the smaller of
the two), draws real checkbox squares, keeps each item whole across page
breaks and starts each checklist on its own page.
"""

from __future__ import annotations

from ..checklists import Checklist, Row
from .markdown import md_escape
from .text import clean, html_escape

BLANK = "________________"


# ------------------------------------------------------------------ terminal


def render_checklist_rich(doc: Checklist):
    """Every piece of data goes in as rich Text (never read as markup, which
    could make links) and through text.clean (no control or bidi character
    reaches the terminal)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    def text(value: str, style: str = "") -> Text:
        return Text(clean(value), style=style)

    parts: list[Text | Table] = [text(doc.title, "bold")]
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column()
    for label, value in doc.header:
        header.add_row(text(label), text(value or BLANK))
    parts.append(header)
    for warning in doc.warnings:
        parts.append(text(f"Warning: {warning}", "bold yellow"))
    for section in doc.sections:
        parts.append(Text(""))
        parts.append(text(section.title, "bold red" if section.urgent else "bold underline"))
        if section.note:
            parts.append(text(section.note, "bold" if section.urgent else "italic"))
        table = Table(box=box.SIMPLE, show_header=False, pad_edge=False, padding=(0, 1))
        table.add_column(width=3, no_wrap=True)
        table.add_column(ratio=3)
        table.add_column(ratio=2)
        for row in section.rows:
            what = text(row.text)
            if row.mark:
                what.append(clean(f" [{row.mark}]"), style="italic")
            if row.why:
                what.append("\n" + clean(row.why), style="dim")
            right = text(row.due)
            if row.blank:
                right.append(("\n" if row.due else "") + clean(f"{row.blank}: {BLANK}"))
            tick = Text(("[x]" if row.done else "[ ]") if row.check else " -")  # Text: not read as markup
            table.add_row(tick, what, right)
        parts.append(table)
    parts.append(text("Sources: " + "; ".join(doc.sources), "dim"))
    parts.append(text(doc.notice, "italic"))
    return Group(*parts)


# ------------------------------------------------------------------ markdown


def render_checklist_markdown(doc: Checklist) -> str:
    lines = [f"# {md_escape(doc.title)}", "", "| | |", "|---|---|"]
    lines += [f"| **{md_escape(label)}** | {md_escape(value) if value else BLANK} |" for label, value in doc.header]
    lines.append("")
    lines += [f"> **Warning:** {md_escape(w)}\n" for w in doc.warnings]
    for section in doc.sections:
        lines += [f"## {md_escape(section.title)}", ""]
        if section.note:
            lines += [f"**{md_escape(section.note)}**" if section.urgent else f"_{md_escape(section.note)}_", ""]
        lines += [_md_row(row) for row in section.rows]
        lines.append("")
    lines += ["## Sources", ""] + [f"- {md_escape(s)}" for s in doc.sources]
    lines += ["", f"_{md_escape(doc.notice)}_", ""]
    return "\n".join(lines)


def _md_row(row: Row) -> str:
    text = f"**{md_escape(row.text)}**" if row.check else md_escape(row.text)
    if row.mark:
        text += f" _({md_escape(row.mark)})_"
    if row.why:
        text += f": {md_escape(row.why)}"
    if row.due:
        text += f" Due: {md_escape(row.due)}."
    if row.blank:
        text += f" {md_escape(row.blank)}: {BLANK}"
    return (("- [x] " if row.done else "- [ ] ") if row.check else "- ") + text


# ------------------------------------------------------------------ html

_CSS = """
@page { margin: 10mm 12mm 11mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 184mm; color: #000; background: #fff;
       font: 10.5pt/1.25 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
article { break-after: page; }
article:last-child { break-after: auto; }
h1 { font-size: 14pt; margin: 0 0 1.5mm; }
dl.header { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 0.5mm 3mm; margin: 0;
            padding: 1.5mm 3mm; border: 1.2pt solid #000; font-size: 9.5pt; }
dl.header dt.wide { grid-column: 1; }
dl.header dd.wide { grid-column: span 3; }
dl.header dt { font-weight: bold; }
dl.header dd { margin: 0; min-height: 5mm; }
dd.blank { border-bottom: 0.8pt solid #000; }
.warning { font-weight: bold; margin: 1.5mm 0 0; }
section { margin-top: 3mm; }
h2 { font-size: 12pt; margin: 0 0 1mm; break-after: avoid; page-break-after: avoid; }
section.urgent { border: 2pt solid #000; padding: 2mm 3mm; break-inside: avoid; }
p.note { margin: 0 0 1mm; font-style: italic; }
section.urgent p.note { font-style: normal; font-weight: bold; }
ul { list-style: none; margin: 0; padding: 0; }
li { display: grid; grid-template-columns: 6.5mm 1fr 50mm; column-gap: 2mm; align-items: end;
     padding: 0.9mm 0; border-bottom: 0.4pt solid #aaa; break-inside: avoid; page-break-inside: avoid; }
li.plain { grid-template-columns: 6.5mm 1fr; padding: 0.5mm 0; }
li.plain .what { font-weight: normal; }
.box { display: inline-block; width: 4.4mm; height: 4.4mm; border: 1.3pt solid #000;
       align-self: start; margin-top: 0.3mm; }
.box.done { font-size: 9pt; line-height: 4mm; text-align: center; font-weight: bold; }
.dash { align-self: start; }
.dash { display: inline-block; width: 4.4mm; text-align: center; }
.what { font-weight: bold; }
.mark { font-weight: normal; font-style: italic; }
.why { display: block; font-weight: normal; font-size: 9pt; line-height: 1.2; }
.due { font-size: 9.5pt; }
.fill { display: block; padding-top: 2.5mm; border-bottom: 0.8pt solid #000; font-size: 7pt; color: #333; }
footer { margin-top: 2mm; font-size: 7.5pt; line-height: 1.2; break-inside: avoid; }
footer p { margin: 0.8mm 0; }
@media screen { body { padding: 10mm; } }
"""


def page_head(title: str, css: str = "") -> list[str]:
    """The start of a printable page: its title and the print CSS (plus ``css``)."""
    return [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_escape(title)}</title>",
        f"<style>{_CSS}{css}</style>",
        "</head>",
        "<body>",
    ]


# The symptom card is one page (A4 and Letter): smaller type, signs without
# rules between them, the who-to-call lines two to a row.
_SYMPTOMS_CSS = """
@page { margin: 7mm 10mm 7mm; }
article.symptoms { font-size: 8.8pt; line-height: 1.12; }
article.symptoms h1 { font-size: 13pt; margin-bottom: 1mm; }
article.symptoms dl.header { font-size: 8.8pt; padding: 1mm 2.5mm; }
article.symptoms section { margin-top: 1.5mm; }
article.symptoms section.urgent { padding: 1.2mm 2.5mm; }
article.symptoms h2 { font-size: 11pt; margin-bottom: 0.5mm; }
article.symptoms p.note { font-style: normal; font-weight: bold; margin-bottom: 0.5mm; }
article.symptoms li.plain { padding: 0.1mm 0; border-bottom: none; grid-template-columns: 4mm 1fr; }
article.symptoms section.calls ul { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6mm; }
article.symptoms section.calls li { grid-template-columns: max-content 1fr; column-gap: 2mm; padding: 0.3mm 0;
                                     border-bottom: none; }
article.symptoms section.calls .fill { padding-top: 3mm; }
article.symptoms section.calls .dash { display: none; }
article.symptoms footer { font-size: 6.5pt; margin-top: 1mm; }
"""


def header_html(header, wide_over: int = 34) -> str:
    """The framed header block: (label, value) pairs two to a line; long values
    (and the blanks to write on) take the whole line."""
    parts = ['<dl class="header">']
    for label, value in header:
        wide = not value or len(value) > wide_over
        classes = " ".join(c for c, on in (("blank", not value), ("wide", wide)) if on)
        attribute = f' class="{classes}"' if classes else ""
        term = ' class="wide"' if wide else ""
        parts.append(f"<dt{term}>{html_escape(label)}</dt><dd{attribute}>{html_escape(value)}</dd>")
    parts.append("</dl>")
    return "".join(parts)


def render_checklist_html(doc: Checklist) -> str:
    parts = [
        *page_head(doc.title, _SYMPTOMS_CSS if doc.kind == "symptoms" else ""),
        f'<article class="checklist {html_escape(doc.kind)}">',
        f"<h1>{html_escape(doc.title)}</h1>",
        header_html(doc.header),
    ]
    parts += [f'<p class="warning">Warning: {html_escape(w)}</p>' for w in doc.warnings]
    for section in doc.sections:
        classes = " ".join(c for c, on in (("urgent", section.urgent), ("calls", section.title == "Who to call")) if on)
        parts.append(f'<section class="{classes}">' if classes else "<section>")
        parts.append(f"<h2>{html_escape(section.title)}</h2>")
        if section.note:
            parts.append(f'<p class="note">{html_escape(section.note)}</p>')
        parts.append("<ul>")
        parts += [_html_row(row) for row in section.rows]
        parts.append("</ul></section>")
    parts.append("<footer>")
    parts.append(f"<p><strong>{html_escape(doc.notice)}</strong></p>")
    parts.append("<p>Sources: " + "; ".join(html_escape(s) for s in doc.sources) + "</p>")
    parts += ["</footer>", "</article>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _html_row(row: Row) -> str:
    if row.check and row.done:
        lead = '<span class="box done" aria-label="done">&#10003;</span>'
    elif row.check:
        lead = '<span class="box" aria-label="to do"></span>'
    else:
        lead = '<span class="dash">&ndash;</span>'
    mark = f' <span class="mark">({html_escape(row.mark)})</span>' if row.mark else ""
    why = f'<span class="why">{html_escape(row.why)}</span>' if row.why else ""
    what = f'<div><span class="what">{html_escape(row.text)}</span>{mark}{why}</div>'
    if not (row.due or row.blank):
        return f'<li class="plain">{lead}{what}</li>'
    fill = f'<span class="fill">{html_escape(row.blank)}</span>' if row.blank else ""
    return f'<li>{lead}{what}<div class="due">{html_escape(row.due)}{fill}</div></li>'
