"""`commissioning batch`: every return in a folder, and the portfolio workbook."""
