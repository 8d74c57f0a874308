/* SPDX-License-Identifier: MIT */
/*
 * Print an HTML file to PDF with headless Chromium (Debian's chromium),
 * as the committee paper is printed: A4 from the page's own @page rule,
 * no date or file:// header and footer, sandbox off so it also runs as
 * root. The program is $PCCS_CHROMIUM, else the first of chromium,
 * chromium-browser, google-chrome on PATH.
 */
#ifndef PCCS_PDF_H
#define PCCS_PDF_H

#include "base/err.h"

/**
 * Print html_path (borrowed) to pdf_path: the PDF appears whole or not at
 * all. PCCS_ENOTFOUND when no Chromium is installed (install the Debian
 * package chromium), PCCS_EIO when it fails or writes no PDF.
 */
int pccs_report_pdf(const char *html_path, const char *pdf_path,
                    struct pccs_err *err);

#endif
