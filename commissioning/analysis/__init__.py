"""Comparing a service with its comparator: `analyse` and its `Analysis` result, the age
alignment it needs, and the same comparison over several periods (`trends`)."""
