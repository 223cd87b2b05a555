"""Rule files, packs and the built-in data become a checked rule book."""
