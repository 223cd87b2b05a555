"""The models: proposal format v1, its vocabulary, rule files and the report (import nothing above)."""
