"""Opening provider files safely: type by content, limits checked before parsing, defused
pre-scan, parsing in a child process, and every cell as text (`RawWorkbook`).

The only place provider files are opened. Interpretation lives in `commissioning.returns`.
"""
