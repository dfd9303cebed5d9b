"""Read a PDF back as text with poppler's pdftotext, as a person would read the printout."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"PDF tests need poppler's {name}: apt-get install poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run them, not skip them).")
        pytest.skip(message)
    return found


def pdf_text(content: bytes, *layout: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        result = subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
            [_tool("pdftotext"), *layout, str(path), "-"], capture_output=True, check=True
        )
    return result.stdout.decode("utf-8")


def pdf_info(content: bytes) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        result = subprocess.run(  # noqa: S603
            [_tool("pdfinfo"), str(path)], capture_output=True, check=True
        )
    lines = result.stdout.decode("utf-8").splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def word_to_pdf(content: bytes) -> bytes:
    """A .docx converted to PDF by LibreOffice, as another word processor opens it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        message = "Word tests need LibreOffice: apt-get install libreoffice-writer-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run them, not skip them).")
        pytest.skip(message)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.docx"
        path.write_bytes(content)
        subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
            [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", folder, str(path)],
            capture_output=True, check=True, timeout=180,
        )  # fmt: skip
        return (Path(folder) / "file.pdf").read_bytes()
