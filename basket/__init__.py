"""basket: a platform-trial basket manager for individualized genetic medicines."""

__version__ = "0.1.0"
