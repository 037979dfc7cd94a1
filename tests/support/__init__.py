"""Test support code (fixture HTTP sites, helpers). Not collected by pytest."""
