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


def _chromium(html_path, pdf_path, profile):
    return [
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
    ]


def print_to_pdf(html_path, pdf_path, profile):
    print_all_to_pdf([(html_path, pdf_path)], profile)


def print_all_to_pdf(jobs, profile):
    """Print each (html_path, pdf_path) in its own Chromium, all at once: a
    print mostly waits (start-up, layout), so several overlap almost fully.
    Each gets its own profile folder under ``profile`` (a profile is locked
    by the Chromium using it)."""
    jobs = list(jobs)
    procs = [
        subprocess.Popen(_chromium(html, pdf, f"{profile}-{i}"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for i, (html, pdf) in enumerate(jobs)
    ]
    failed = []
    for proc, (html, _) in zip(procs, jobs):
        try:
            out, _ = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        if proc.returncode != 0:
            failed.append(f"{html.name}: exit {proc.returncode}: {out.decode(errors='replace')[-500:]}")
    assert not failed, "chromium could not print: " + "; ".join(failed)


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
