"""CLI commands kept in modules of their own; `basket.cli` registers them (see COMMAND_MODULES)."""
