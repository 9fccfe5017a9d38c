"""Reports built from the live data: the 뿌리산업발전위원회 workbook."""
