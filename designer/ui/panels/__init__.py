"""The docks beside the canvas: findings, timeline, palette and properties."""
