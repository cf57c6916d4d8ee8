"""Drafting the Disproportionality Implications section: findings, disclosure control,
the wording environment and the immutable `Section` description the renderers draw.
"""
