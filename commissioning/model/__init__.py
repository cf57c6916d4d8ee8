"""The values every stage shares: ethnic categories, age bands, tidy counts, data-quality
issues, dates typed by people, and the text-safety rules for provider-supplied strings.

Nothing here imports another part of the package, so every stage can depend on it.
"""
