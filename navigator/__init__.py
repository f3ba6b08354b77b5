"""navigator: a question-driven support-program navigator built from department Excel sheets."""

__version__ = "0.1.0"
