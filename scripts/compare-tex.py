#!/usr/bin/env python3
"""Sets one long abstract with contribook and with xelatex at the same
measure, face and size (Noto Serif 10.5/14.5 pt on 439.28 pt; TeX with
\frenchspacing, as contribook has no wider space after a sentence), and prints,
for each, the number of lines, of hyphenated lines, and the word spacing
of the loosest and tightest justified lines (in ems, measured from the
PDF with pdftotext -bbox, so both are judged the same way).
Usage: compare-tex.py CONTRIBOOK-BINARY. Needs xelatex (texlive-xetex)."""
import sys
import tempfile

import texpair

BIN = sys.argv[1]
SIZE = 10.5
ABSTRACT = [
    "Free-electron lasers deliver ultrashort, coherent pulses whose characterization demands diagnostics that are both non-invasive and fast. We present a transverse deflecting structure operated at X-band frequencies together with a wavefront-sensitive photon spectrometer, and we discuss how their complementary information reconstructs the longitudinal phase space of individual electron bunches. Quantitative comparisons with start-to-end simulations show that the reconstruction reproduces the measured current profiles within experimental uncertainties.",
    "Characteristically, the microbunching instability manifests itself as fine-scale modulations that, unless suppressed by a laser heater, degrade the spectral brightness considerably. Interferometric measurements, synchronization systems and electro-optical sampling complement the picture. Notwithstanding the instrumentation's sophistication, operational reliability remained excellent throughout the commissioning period, and the methodology generalizes straightforwardly to superconducting accelerators operating at megahertz repetition rates.",
    "Unexpectedly, photoemission characteristics of the cathode changed during irradiation experiments; electroluminescence and thermoluminescence spectroscopy were therefore incorporated. Multidimensional optimization algorithms, implemented on heterogeneous computing infrastructure, subsequently identified configurations maximizing pulse-energy stability while simultaneously minimizing timing jitter. Finally, we summarize recommendations for facilities contemplating similar installations, emphasizing interoperability, maintainability and the importance of comprehensive, reproducible documentation for all measurement procedures.",
]
FIRST = "Free-electron"
LAST = "procedures."


def words_by_line(pdf):
    """(page, y) -> sorted list of (xmin, xmax, word) from pdftotext -bbox."""
    lines = {}
    for page, x0, x1, y1, word in texpair.bbox_words(pdf):
        lines.setdefault((page, round(y1, 0)), []).append((x0, x1, word))
    return [sorted(v) for k, v in sorted(lines.items(),
                                         key=lambda kv: (kv[0][0], kv[0][1]))]


def measure(pdf):
    lines = words_by_line(pdf)
    start = next(i for i, l in enumerate(lines) if l[0][2] == FIRST)
    end = next(i for i, l in enumerate(lines) if l[-1][2].endswith(LAST))
    body = lines[start:end + 1]
    # a paragraph's last line is not justified: find them by their width
    right = max(l[-1][1] for l in body)
    justified = [l for l in body if abs(l[-1][1] - right) < 0.6 and len(l) > 1]
    gaps = [max(b[0] - a[1] for a, b in zip(l, l[1:])) / SIZE
            for l in justified]
    mean = [sum(b[0] - a[1] for a, b in zip(l, l[1:])) / (len(l) - 1) / SIZE
            for l in justified]
    hyph = sum(1 for l in body if l[-1][2].endswith("-"))
    return len(body), hyph, max(gaps), min(mean), \
        sum(mean) / len(mean)


with tempfile.TemporaryDirectory() as work:
    rows = [("contribook", measure(texpair.contribook(BIN, work, ABSTRACT))),
            ("xelatex", measure(texpair.xelatex(work, ABSTRACT)))]
print("%-11s %6s %11s %22s %20s %19s" % (
    "", "lines", "hyphenated", "loosest gap (em)", "tightest mean (em)",
    "average gap (em)"))
for name, (n, h, loose, tight, avg) in rows:
    print("%-11s %6d %11d %22.3f %20.3f %19.3f" % (name, n, h, loose, tight,
                                                   avg))
