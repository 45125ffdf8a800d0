"""Helpers the writers share: Word, PDF and HTML kits, XML-safe text, the export file writer."""
