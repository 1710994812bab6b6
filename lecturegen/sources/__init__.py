"""Sources layer."""
