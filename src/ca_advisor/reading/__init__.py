"""From bytes to located data and models: safe YAML, validation, located errors, directory scans."""
