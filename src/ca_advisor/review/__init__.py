"""What a reviewer accepts (waivers) or compares (diff)."""
