"""Tools for rule authors: rules check, the fixture runner, scaffolds and generated docs."""
