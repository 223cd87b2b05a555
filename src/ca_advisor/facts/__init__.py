"""A proposal plus dated, sourced country facts become the facts rules read."""
