"""Files in and out, by format: importers (spreadsheet, GLEIF, BODS, FtM, RDR) through one
pipeline (validate, match, write all-or-nothing), the bulk loader, the BODS and FtM exporters."""
