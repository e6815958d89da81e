"""The deciders, one module per area of the set; each registers its command handlers."""
