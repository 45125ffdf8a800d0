"""Interchange with other tools: readers (and, after the move, writers) of BPMN and FHIR.

Qt-free: nothing here imports PySide6.
"""
