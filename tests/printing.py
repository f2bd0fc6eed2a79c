"""Printing HTML with headless Chromium and reading the PDF back (poppler)."""

import os
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def require_printing():
    """Skip without Chromium and poppler-utils, or fail when CI says they must be there."""
    if not (CHROMIUM and shutil.which("pdfinfo") and shutil.which("pdftotext")):
        if os.environ.get("MSMONITOR_REQUIRE_CHROMIUM"):
            pytest.fail("chromium and poppler-utils are needed (apt-get install chromium poppler-utils)")
        pytest.skip("chromium or poppler-utils not installed")


def print_to_pdf(html_path, pdf_path, profile):
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )


def pdf_pages_and_text(pdf_path):
    """The page count and the text (pages separated by form feeds)."""
    data = pdf_path.read_bytes()
    pages = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert data.startswith(b"%PDF")
    return count, text


def on_paper(html: str, paper: str) -> str:
    """The page as printed on this paper size (the files leave it to the printer)."""
    return html.replace("@page {", f"@page {{ size: {paper};", 1)
